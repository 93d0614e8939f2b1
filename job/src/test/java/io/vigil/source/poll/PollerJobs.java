package io.vigil.source.poll;

import io.vigil.VigilJob;
import io.vigil.VigilTopology;
import io.vigil.config.VigilConfig;
import io.vigil.model.Envelope;
import io.vigil.testing.CollectingSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.jobgraph.SavepointConfigOptions;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** What the poller ITCases share: a job of one poller input, started or restored, and waiting on it. */
final class PollerJobs {
    private PollerJobs() {}

    /** The config's first input through the pipeline into the two sinks; restored when a savepoint is given. */
    static JobClient start(VigilConfig config, CollectingSink<Envelope> events, CollectingSink<Envelope> dead,
            String savepoint, String name) throws Exception {
        Configuration conf = new Configuration();
        if (savepoint != null) {
            conf.set(SavepointConfigOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(500, CheckpointingMode.EXACTLY_ONCE);
        env.setRestartStrategy(RestartStrategies.noRestart());
        VigilTopology.on(env).input(VigilJob.input(config.inputs.get(0))).events(events).deadLetters(dead).build();
        return env.executeAsync(name);
    }

    /** The period times of the samples received so far that {@code which} picks. */
    static List<Long> periods(CollectingSink<Envelope> events, Predicate<Envelope> which) {
        List<Long> out = new ArrayList<>();
        for (Envelope e : events.received()) {
            if (e.metric != null && which.test(e)) {
                out.add(e.metric.time);
            }
        }
        return out;
    }

    static void await(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
