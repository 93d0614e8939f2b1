package io.vigil.source;

import com.google.pubsub.v1.PubsubMessage;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import java.io.IOException;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.connectors.gcp.pubsub.PubSubSource;
import org.apache.flink.streaming.connectors.gcp.pubsub.common.PubSubDeserializationSchema;
import org.apache.flink.streaming.connectors.gcp.pubsub.emulator.EmulatorCredentials;
import org.apache.flink.streaming.connectors.gcp.pubsub.emulator.PubSubSubscriberFactoryForEmulator;

/**
 * Google Cloud Pub/Sub inputs through Flink's {@link PubSubSource}: messages are acknowledged when
 * the checkpoint that covers them completes, so delivery is at least once. A message not
 * acknowledged within the subscription's ack deadline (or pulled again after a restart) comes
 * again; {@link DuplicateFilter} drops those for OpenLineage inputs.
 */
public final class PubSubInputs {
    /** Pulls per request and their timeout against an emulator (the connector's own defaults). */
    private static final int EMULATOR_MAX_MESSAGES = 100;
    private static final int EMULATOR_RETRIES = 3;
    private static final Duration EMULATOR_TIMEOUT = Duration.ofSeconds(15);

    private static final String PUBSUB_SCOPE = "https://www.googleapis.com/auth/pubsub";

    private PubSubInputs() {}

    /**
     * @param credentials a service-account JSON file, {@code env:VAR} holding the JSON,
     *     {@code secretsmanager:ARN[#key]}, or null for the environment's default credentials; read
     *     on the task managers on first use
     * @param emulatorHost host:port of a plain-text emulator, or null
     */
    public static PubSubSource<RawRecord> subscription(String source, InputFormat format, String project,
            String subscription, String credentials, String emulatorHost) throws IOException {
        return subscription(source, format, project, subscription, credentials, emulatorHost, null, false);
    }

    /**
     * As above; {@code offline} (a dry run) builds the source without looking up credentials,
     * which would read the environment's Google credentials or the key file.
     */
    public static PubSubSource<RawRecord> subscription(String source, InputFormat format, String project,
            String subscription, String credentials, String emulatorHost, String secretsManagerEndpoint, boolean offline)
            throws IOException {
        PubSubSource.PubSubSourceBuilder<RawRecord> b = PubSubSource.newBuilder()
                .withDeserializationSchema(new Messages(source, format))
                .withProjectName(project)
                .withSubscriptionName(subscription);
        if (emulatorHost != null) {
            b.withPubSubSubscriberFactory(new PubSubSubscriberFactoryForEmulator(emulatorHost, project, subscription,
                            EMULATOR_RETRIES, EMULATOR_TIMEOUT, EMULATOR_MAX_MESSAGES))
                    .withCredentials(EmulatorCredentials.getInstance());
        } else if (offline) {
            b.withCredentials(EmulatorCredentials.getInstance());
        } else if (credentials != null) {
            // read on the task managers on first use: the job graph carries where the key is, never the key
            b.withCredentials(SecretCredentials.of(credentials, PUBSUB_SCOPE, secretsManagerEndpoint));
        }
        return b.build();
    }

    /**
     * Passes each message's bytes through unchanged (capped like every source's), with its publish
     * time as receive time (the broker's arrival, as Kinesis's) and its message id as origin.
     */
    static final class Messages implements PubSubDeserializationSchema<RawRecord> {
        private static final long serialVersionUID = 1L;

        private final String source;
        private final InputFormat format;

        Messages(String source, InputFormat format) {
            this.source = source;
            this.format = format;
        }

        @Override
        public RawRecord deserialize(PubsubMessage m) {
            long published = m.hasPublishTime()
                    ? m.getPublishTime().getSeconds() * 1000 + m.getPublishTime().getNanos() / 1_000_000
                    : System.currentTimeMillis();
            return RawRecord.received(source, format, m.getData().toByteArray(), published, m.getMessageId());
        }

        @Override
        public boolean isEndOfStream(RawRecord next) {
            return false;
        }

        @Override
        public TypeInformation<RawRecord> getProducedType() {
            return TypeInformation.of(RawRecord.class);
        }
    }
}
