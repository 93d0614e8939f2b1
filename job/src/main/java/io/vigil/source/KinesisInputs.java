package io.vigil.source;

import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kinesis.source.KinesisStreamsSource;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants;
import org.apache.flink.connector.kinesis.source.serialization.KinesisDeserializationSchema;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.apache.flink.util.Collector;

/**
 * Kinesis Data Streams inputs: the FLIP-27 {@link KinesisStreamsSource}, which keeps each shard's
 * sequence number in checkpoints (records read once per checkpointed run) and polls each shard.
 */
public final class KinesisInputs {
    /** Keys of the connector's AWS configuration (its own constants class is relocated in the fat jar). */
    static final String AWS_REGION = "aws.region";
    static final String AWS_ENDPOINT = "aws.endpoint";

    private KinesisInputs() {}

    /**
     * @param position LATEST, TRIM_HORIZON or AT_TIMESTAMP: where a job without a checkpoint starts
     * @param timestamp the start of AT_TIMESTAMP, else null
     * @param endpoint an endpoint override (tests, VPC endpoints), or null
     */
    public static KinesisStreamsSource<RawRecord> stream(String source, InputFormat format, String streamArn,
            String position, Instant timestamp, String region, String endpoint) {
        Configuration c = new Configuration();
        c.set(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_POSITION,
                KinesisStreamsSourceConfigConstants.InitialPosition.valueOf(position));
        if (timestamp != null) {
            // the connector reads a number as epoch seconds
            c.set(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_TIMESTAMP,
                    String.format(java.util.Locale.ROOT, "%d.%03d", timestamp.getEpochSecond(), timestamp.getNano() / 1_000_000));
        }
        c.setString(AWS_REGION, region);
        if (endpoint != null) {
            c.setString(AWS_ENDPOINT, endpoint);
        }
        return KinesisStreamsSource.<RawRecord>builder()
                .setStreamArn(streamArn)
                .setSourceConfig(c)
                .setDeserializationSchema(new Records(source, format))
                .build();
    }

    /**
     * Passes each record's bytes through unchanged (capped like every source's), with the
     * shard's approximate arrival time as receive time and {@code shardId:sequenceNumber} as origin.
     * KPL-aggregated records are not de-aggregated: each arrives as one record and is dead-lettered.
     */
    static final class Records implements KinesisDeserializationSchema<RawRecord> {
        private static final long serialVersionUID = 1L;

        private final String source;
        private final InputFormat format;

        Records(String source, InputFormat format) {
            this.source = source;
            this.format = format;
        }

        @Override
        public void deserialize(Record record, String stream, String shardId, Collector<RawRecord> out) {
            // the SDK's array is not shared once the record is emitted: no copy needed
            out.collect(RawRecord.received(source, format, record.data().asByteArrayUnsafe(),
                    record.approximateArrivalTimestamp().toEpochMilli(), shardId + ":" + record.sequenceNumber()));
        }

        @Override
        public TypeInformation<RawRecord> getProducedType() {
            return TypeInformation.of(RawRecord.class);
        }
    }
}
