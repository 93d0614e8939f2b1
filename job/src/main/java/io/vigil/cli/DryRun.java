package io.vigil.cli;

import io.vigil.VigilJob;
import io.vigil.config.AlertOutput;
import io.vigil.config.InputConfig;
import io.vigil.config.VigilConfig;
import io.vigil.config.Durations;
import io.vigil.config.Redaction;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;

/**
 * {@code vigil run --dry-run}: validates a configuration (a cloud one too), builds the dataflow it
 * would run and prints it, without connecting to anything or starting Flink.
 */
final class DryRun {
    private DryRun() {}

    /** Prints what {@link #describe} says, with credentials a value may hold masked ({@link Redaction}). */
    static void print(VigilConfig config, String source, PrintStream out) {
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        describe(config, source, new PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8));
        out.print(Redaction.of(text.toString(java.nio.charset.StandardCharsets.UTF_8)));
        out.flush();
    }

    private static void describe(VigilConfig config, String source, PrintStream out) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        VigilJob.configure(env, config);
        if (config.parallelism == null) {
            // the runtime decides: do not print this machine's core count as the job's parallelism
            env.setParallelism(org.apache.flink.api.common.ExecutionConfig.PARALLELISM_DEFAULT);
        }
        VigilJob.live(env, config, true);
        StreamGraph graph = env.getStreamGraph(false);

        out.println("vigil: " + source + " is valid");
        out.println("parallelism: " + (config.parallelism == null ? "the runtime's" : config.parallelism)
                + "; checkpoints: " + (config.checkpointInterval == null ? "the runtime's"
                        : "every " + Durations.format(config.checkpointInterval.toMillis())) + ", exactly once");
        out.println("inputs:");
        for (InputConfig in : config.inputs) {
            out.println("  " + in.name + ": " + describe(in));
        }
        out.println("tables: " + (config.tables == null ? "off" : config.tables + " (not contacted)"));
        out.println("alerts:");
        for (AlertOutput o : config.alertOutputs) {
            out.println("  " + o);
        }
        if (config.receiver != null) {
            out.println("receiver: " + config.receiver);
        }
        if (config.delivery != null) {
            out.println("delivery: " + config.delivery);
        }
        out.println("watchdog: " + (config.watchdogInterval == null ? "off"
                : "every " + Durations.format(config.watchdogInterval.toMillis())));
        List<StreamNode> nodes = new ArrayList<>(graph.getStreamNodes());
        nodes.sort(Comparator.comparingInt(StreamNode::getId));
        out.println("dataflow (" + nodes.size() + " operators" + (config.tables == null ? "" : ", plus the Iceberg table writers")
                + "; operator [uid] xparallelism -> next (partitioning)):");
        for (StreamNode n : nodes) {
            StringBuilder line = new StringBuilder("  ").append(n.getId()).append(' ').append(n.getOperatorName());
            if (n.getTransformationUID() != null) {
                line.append(" [").append(n.getTransformationUID()).append(']');
            }
            if (n.getParallelism() > 0) {
                line.append(" x").append(n.getParallelism());
            }
            List<String> next = new ArrayList<>();
            for (StreamEdge e : n.getOutEdges()) {
                next.add(e.getTargetId() + " (" + e.getPartitioner() + ")");
            }
            if (!next.isEmpty()) {
                line.append(" -> ").append(String.join(", ", next));
            }
            out.println(line);
        }
    }

    private static String describe(InputConfig in) {
        String what;
        switch (in.type) {
            case KINESIS:
                what = "kinesis " + in.kinesis.streamArn + " from " + in.kinesis.initialPosition
                        + (in.kinesis.initialTimestamp == null ? "" : " " + in.kinesis.initialTimestamp)
                        + ", watermarks per shard";
                break;
            case PUBSUB:
                what = "pubsub projects/" + in.pubsub.project + "/subscriptions/" + in.pubsub.subscription
                        + (in.pubsub.dedupTtl == null ? "" : ", duplicates dropped for "
                                + Durations.format(in.pubsub.dedupTtl.toMillis()));
                break;
            case FILE:
                what = "file " + in.path + (in.watch == null ? "" : ", watched every " + Durations.format(in.watch.toMillis()));
                break;
            case PROMETHEUS:
            case CLOUDWATCH:
            case CLOUD_MONITORING:
                what = in.type.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " polling "
                        + String.join(", ", in.poll.queries.keySet())
                        + (in.poll.scrapeUrls.isEmpty() ? "" : (in.poll.queries.isEmpty() ? "" : ", ")
                                + "scrapes of " + String.join(", ", in.poll.scrapeUrls))
                        + (in.poll.url == null ? "" : " at " + in.poll.url)
                        + " every " + Durations.format(in.poll.step.toMillis()) + ", "
                        + Durations.format(in.poll.delay.toMillis()) + " after each period";
                break;
            case DATABRICKS_EVENTS:
                what = "databricks-events of cluster(s) " + String.join(", ", in.poll.clusters) + " at " + in.poll.url
                        + " every " + Durations.format(in.poll.step.toMillis()) + ", "
                        + Durations.format(in.poll.delay.toMillis()) + " after each period, token " + in.poll.token;
                break;
            default:
                what = "generator, " + in.rate + "/s";
        }
        return what + ", format " + in.format.id() + ", out of order up to "
                + Durations.format(in.eventTime.outOfOrderness().toMillis())
                + (in.eventTime.idleness() == null ? "" : ", idle after " + Durations.format(in.eventTime.idleness().toMillis()));
    }
}
