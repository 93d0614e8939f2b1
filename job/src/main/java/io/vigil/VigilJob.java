package io.vigil;

import io.vigil.config.AlertOutput;
import io.vigil.config.InputConfig;
import io.vigil.delivery.DeliveryRecordJson;
import io.vigil.config.PropertyGroups;
import io.vigil.config.VigilConfig;
import io.vigil.iceberg.IcebergTables;
import io.vigil.model.Envelope;
import io.vigil.config.ConfigException;
import io.vigil.rules.RuleSet;
import io.vigil.rules.RuleSetException;
import io.vigil.rules.RulesFile;
import io.vigil.sink.AlertJson;
import io.vigil.sink.ConsoleAlertSink;
import io.vigil.sink.DeadLetterJson;
import io.vigil.sink.LineFileSink;
import io.vigil.source.FileInputs;
import io.vigil.source.GeneratorInputs;
import io.vigil.source.InputSpec;
import io.vigil.source.KinesisInputs;
import io.vigil.source.PubSubInputs;
import io.vigil.source.Watchdog;
import io.vigil.source.control.ControlObjectsSource;
import io.vigil.source.control.S3Location;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point on Managed Service for Apache Flink: reads the application's property groups (or
 * {@code --config FILE}), validates them and runs the live topology.
 */
public final class VigilJob {
    private VigilJob() {}

    public static void main(String[] args) throws Exception {
        Map<String, Properties> groups = args.length == 2 && "--config".equals(args[0])
                ? PropertyGroups.fromFile(Paths.get(args[1]))
                : PropertyGroups.fromRuntime();
        VigilConfig config = VigilConfig.from(groups);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, config);
        VigilJob.live(env, config);
        env.execute("vigil");
    }

    /**
     * Job-wide settings from config: parallelism and exactly-once checkpoints, where configured.
     * Unset, the runtime's apply: set in code they would override Managed Flink's parallelism
     * (and its autoscaling) and checkpoint configuration.
     */
    public static void configure(StreamExecutionEnvironment env, VigilConfig config) {
        if (config.parallelism != null) {
            env.setParallelism(config.parallelism);
        }
        if (config.checkpointInterval != null) {
            env.enableCheckpointing(config.checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        } else if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
            // the Pub/Sub source and the table commits need checkpoints: never run without them
            env.enableCheckpointing(60_000L, CheckpointingMode.EXACTLY_ONCE);
        }
    }

    /** Wires the configured inputs and the live outputs. */
    public static VigilTopology.Streams live(StreamExecutionEnvironment env, VigilConfig config) {
        return live(env, config, false);
    }

    /**
     * As above; {@code offline} (the dry run) builds the same dataflow without contacting anything:
     * the Iceberg sinks are left out (building them loads the tables from the catalog) and no
     * credentials are read.
     */
    public static VigilTopology.Streams live(StreamExecutionEnvironment env, VigilConfig config, boolean offline) {
        VigilTopology t = VigilTopology.on(env);
        for (InputConfig in : config.inputs) {
            t.input(input(in, offline));
        }
        // capped and rotated: a flood of bad input cannot fill the disk (docs/limits.md)
        Sink<Envelope> deadLetters = LineFileSink.rotating(Paths.get(config.outputDir, "dead-letter.jsonl"),
                new DeadLetterJson(), config.deadLetterMaxBytes, config.deadLetterKeepFiles);
        S3Location rulesObject = S3Location.isS3(config.rulesFile) ? config.control.s3(config.rulesFile) : null;
        S3Location controlObjects = S3Location.isS3(config.controlPath) ? config.control.s3(config.controlPath) : null;
        String[] rulesVersion = {null};
        RuleSet rules = rulesObject != null && !offline ? rulesObject(config, rulesObject, rulesVersion) : rules(config);
        if (config.controlPath != null && controlObjects == null) {
            t.control(FileInputs.watched("control", Paths.get(config.controlPath), config.control.pollInterval));
        }
        if (rulesObject != null || controlObjects != null) {
            t.control(new ControlObjectsSource("control-objects", rulesObject, rulesVersion[0], controlObjects,
                    config.control.pollInterval), "control-objects");
        }
        if (config.tables != null && !offline) {
            t.tables(IcebergTables.in(config.tables));
        }
        if (config.watchdogInterval != null) {
            t.watchdog(Watchdog.every(config.watchdogInterval));
        }
        for (AlertOutput out : config.alertOutputs) {
            if (out.type == AlertOutput.Type.FILE) {
                t.alerts(out.name, LineFileSink.appending(Paths.get(out.path), new AlertJson()));
            } else if (out.type == AlertOutput.Type.STDOUT) {
                t.alerts(out.name, out.json ? ConsoleAlertSink.json() : new ConsoleAlertSink(false));
            }
        }
        if (config.delivery != null) {
            // Without tables the delivery records (every attempt, failures included) still go somewhere readable.
            t.delivery(config.delivery, config.tables != null ? null
                    : LineFileSink.appending(Paths.get(config.outputDir, "deliveries.jsonl"), new DeliveryRecordJson()));
        }
        return t.deadLetters(deadLetters)
                .rules(rules, false)
                .build();
    }

    /** The configured local rules file and packs, in that order; empty: the rules bundled in the jar. */
    public static java.util.List<java.nio.file.Path> ruleFiles(VigilConfig config) {
        java.util.List<java.nio.file.Path> files = new java.util.ArrayList<>();
        if (config.rulesFile != null && !S3Location.isS3(config.rulesFile)) {
            files.add(Paths.get(config.rulesFile));
        }
        config.packs.forEach(f -> files.add(Paths.get(f)));
        return files;
    }

    /**
     * The configured rules file and packs, or the rules bundled in the jar; refused at start-up if
     * invalid. An s3:// rules file is read from object storage (the dry run, offline, judges without it).
     */
    public static RuleSet rules(VigilConfig config) {
        try {
            java.util.List<java.nio.file.Path> files = ruleFiles(config);
            return files.isEmpty() ? RulesFile.bundled() : RulesFile.loadAll(files);
        } catch (RuleSetException e) {
            throw new ConfigException("config: group 'vigil', key 'rules.file': " + e.getMessage());
        } catch (java.io.IOException e) {
            throw new ConfigException("config: group 'vigil', key 'rules.file': " + e.getMessage());
        }
    }

    /** The rules object as it is now; its ETag goes to {@code version[0]}, so the poller starts after it. */
    public static RuleSet rulesObject(VigilConfig config, S3Location at, String[] version) {
        try (S3Client s3 = at.client()) {
            ResponseBytes<GetObjectResponse> o = s3.getObjectAsBytes(b -> b.bucket(at.bucket).key(at.key));
            version[0] = o.response().eTag();
            return RulesFile.parse(o.asUtf8String(), config.rulesFile);
        } catch (RuleSetException e) {
            throw new ConfigException("config: group 'vigil', key 'rules.file': " + e.getMessage());
        } catch (RuntimeException e) {
            throw new ConfigException("config: group 'vigil', key 'rules.file': cannot read " + at + ": " + e);
        }
    }

    /** The source of one configured input. */
    public static InputSpec input(InputConfig in) {
        return input(in, false);
    }

    private static InputSpec input(InputConfig in, boolean offline) {
        InputSpec spec = source(in, offline);
        return in.githubSecret == null ? spec : spec.withGitHubSecret(io.vigil.source.TaskSecret.of(in.githubSecret, null));
    }

    private static InputSpec source(InputConfig in, boolean offline) {
        switch (in.type) {
            case GENERATOR:
                return new InputSpec(in.name, in.format,
                        GeneratorInputs.synthetic(in.name, in.format, in.rate, in.badRatio, in.seed, in.incidents), in.eventTime, 1);
            case FILE:
                Path p = Paths.get(in.path);
                if (in.watch != null) {
                    return new InputSpec(in.name, in.format, FileInputs.watched(in.name, in.format, p, in.watch), in.eventTime, 1);
                }
                return new InputSpec(in.name, in.format, FileInputs.lines(in.name, in.format, p), in.eventTime, 1);
            case KINESIS:
                InputConfig.Kinesis k = in.kinesis;
                return new InputSpec(in.name, in.format, KinesisInputs.stream(in.name, in.format, k.streamArn,
                        k.initialPosition, k.initialTimestamp, k.region, k.endpoint), in.eventTime, 0)
                        .withSplitWatermarks();
            case PUBSUB:
                InputConfig.PubSub ps = in.pubsub;
                try {
                    return InputSpec.ofFunction(in.name, in.format, PubSubInputs.subscription(in.name, in.format,
                                    ps.project, ps.subscription, ps.credentials, ps.emulatorHost, ps.secretsManagerEndpoint, offline), in.eventTime, 0)
                            .withDedup(ps.dedupTtl);
                } catch (java.io.IOException e) {
                    throw ConfigException.at(VigilConfig.INPUT_PREFIX + in.name, "credentials", e.getMessage());
                }
            case PROMETHEUS:
            case CLOUDWATCH:
            case CLOUD_MONITORING:
            case DATABRICKS_EVENTS:
                // one reader polls every query of the input: they are a few requests a period
                return new InputSpec(in.name, in.format, io.vigil.source.poll.PollerInputs.source(in), in.eventTime, 1);
            default:
                throw new IllegalStateException(in.type.toString());
        }
    }
}
