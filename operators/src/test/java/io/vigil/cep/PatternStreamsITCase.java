package io.vigil.cep;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.DeadLetter;
import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.ReasonCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PatternStreams#apply} in a real (mini-cluster) job: filter, key, match in event time (on
 * the run operator, with a serializer of its own for its state), with Kryo switched off so the
 * events and matches provably travel as POJOs and no state needs Kryo, and the stable uid.
 */
class PatternStreamsITCase {
    @Test
    @Timeout(120)
    void findsEveryIncidentOfABoundedStreamUnderItsRuleUid() throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);

        SyntheticLogons logons = new SyntheticLogons(2_000, 200, 5_000, 3);
        List<Envelope> events = new ArrayList<>();
        for (long i = 0; i < 20_000; i++) {
            events.add(logons.event(i));
        }
        DeadLetter broken = new DeadLetter();
        broken.source = "lanl";
        broken.format = InputFormat.LANL_AUTH;
        broken.reason = ReasonCode.MALFORMED_CSV;
        broken.payload = "1,U1@DOM1";
        events.add(Envelope.of(broken, logons.timeOf(10))); // not valid: never enters the pattern

        DataStream<Envelope> valid = env.fromData(events, TypeInformation.of(Envelope.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Envelope>forBoundedOutOfOrderness(Duration.ofSeconds(30))
                        .withTimestampAssigner((e, ts) -> e.eventTime));
        DataStream<PatternMatch> matches = PatternStreams.apply(valid, "auth_bruteforce", PatternDriver.defaultSpec("auth_bruteforce"));
        assertThat(matches.getTransformation().getUid()).isEqualTo("pattern-auth_bruteforce-run");
        DataStream<Envelope> elsewhere = StreamExecutionEnvironment.getExecutionEnvironment().fromData(events.subList(0, 1),
                TypeInformation.of(Envelope.class));
        assertThat(PatternStreams.apply(elsewhere, "job_flapping", PatternDriver.defaultSpec("job_flapping")).getTransformation().getUid())
                .as("a pattern of another shape stays on CEP").isEqualTo("pattern-job_flapping-projected");
        assertThat(matches.getType().createSerializer(env.getConfig().getSerializerConfig()).getClass().getSimpleName())
                .isEqualTo("PojoSerializer");

        List<String> found = new ArrayList<>();
        try (CloseableIterator<PatternMatch> it = matches.executeAndCollect("pattern streams")) {
            it.forEachRemaining(m -> found.add(m.entity));
        }
        // incidents at events 0, 5000, 10000, 15000: users X1..X4, each guessing from its own computers
        assertThat(found).hasSize((int) logons.incidentsBefore(20_000));
        assertThat(found).allSatisfy(entity -> assertThat(entity).matches("destination user X[1-4]@DOM1 from C\\d+(,C\\d+)*"));
    }
}
