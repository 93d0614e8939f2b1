package io.vigil.delivery;

import io.vigil.model.AlertEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Delivery jobs on the test's MiniCluster: alerts in, {@link AlertDelivery} as the job would wire
 * it, records collected. Checkpoints every 500 ms, no Kryo, and no restart: a failure of the
 * delivery operator fails the job, and the test.
 */
final class DeliveryJobs {
    private DeliveryJobs() {}

    static JobClient start(String run, AlertDelivery delivery, AlertEvent... alerts) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.enableCheckpointing(500);
        env.getConfig().disableGenericTypes();
        delivery.apply(env.fromData(Arrays.asList(alerts), TypeInformation.of(AlertEvent.class)))
                .sinkTo(new CollectingSink(run)).name("collect").setParallelism(1);
        return env.executeAsync(run);
    }

    /** A job whose alerts the test sends while it runs ({@link AlertFeed}); it ends when the feed does. */
    static JobClient startFed(String run, AlertDelivery delivery) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.enableCheckpointing(500);
        env.getConfig().disableGenericTypes();
        delivery.apply(env.addSource(new AlertFeed(run), "feed", TypeInformation.of(AlertEvent.class)).setParallelism(1))
                .sinkTo(new CollectingSink(run)).name("collect").setParallelism(1);
        return env.executeAsync(run);
    }

    /** The records of a run so far, in emission order. */
    static List<DeliveryRecord> records(String run) {
        return new ArrayList<>(CollectingSink.records(run));
    }

    /** {@code route attempt status http_status} of each record. */
    static List<String> outcomes(List<DeliveryRecord> records) {
        return records.stream().map(r -> r.route + " " + r.attempt + " " + r.status.wire() + " " + r.httpStatus)
                .collect(Collectors.toList());
    }
}
