package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.AlertEvent;
import io.vigil.model.Severity;
import java.util.Collections;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.junit.jupiter.api.Test;

class AlertDeliveryTest {
    private static final SlackChannel SLACK = SlackChannel.routes(
            SlackRoute.named("all", SecretRef.literal("https://hooks.slack.com/services/T/B/secret")));
    private static final SnsChannel SNS = SnsChannel.topics(
            Map.of(Severity.CRITICAL, "arn:aws:sns:eu-west-1:123456789012:vigil-critical"));

    @Test
    void oneOperatorWithAStableUidAtParallelismOne() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SingleOutputStreamOperator<DeliveryRecord> out = AlertDelivery.to(SLACK, SNS)
                .apply(env.fromData(Collections.emptyList(), TypeInformation.of(AlertEvent.class)));
        OneInputTransformation<?, ?> t = (OneInputTransformation<?, ?>) out.getTransformation();
        assertThat(t.getUid()).isEqualTo("alert-delivery");
        assertThat(t.getName()).isEqualTo("alert delivery");
        assertThat(t.getParallelism()).isEqualTo(1);
        assertThat(t.getOperatorFactory()).isInstanceOf(DeliveryOperator.Factory.class);
        assertThat(out.getType()).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void outputAndStateAreFlinkPojosNotKryo() {
        assertThat(TypeInformation.of(DeliveryRecord.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(PendingDelivery.class)).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<PendingDelivery> pending = (PojoTypeInfo<PendingDelivery>) TypeInformation.of(PendingDelivery.class);
        assertThat(pending.getTypeAt("alert")).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void channelsAreDistinctAndPresent() {
        assertThatThrownBy(() -> AlertDelivery.to()).hasMessageContaining("at least one channel");
        assertThatThrownBy(() -> AlertDelivery.to(SLACK, SLACK)).hasMessageContaining("two channels of kind slack");
        assertThat(AlertDelivery.to(SLACK, SNS).toString()).doesNotContain("secret");
    }

    @Test
    void snsTopicsMustBeArns() {
        assertThatThrownBy(() -> SnsChannel.topics(Map.of(Severity.WARNING, "vigil-warning")))
                .hasMessageContaining("not a topic ARN");
        assertThat(SnsChannel.region("arn:aws:sns:us-east-2:123456789012:t.fifo")).isEqualTo("us-east-2");
        assertThat(SNS.routes(SampleAlerts.firing("r", Severity.WARNING, "e"))).isEmpty();
        assertThat(SNS.routes(SampleAlerts.firing("r", Severity.CRITICAL, "e")))
                .containsExactly("arn:aws:sns:eu-west-1:123456789012:vigil-critical");
    }
}
