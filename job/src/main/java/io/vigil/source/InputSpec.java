package io.vigil.source;

import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.parse.EventTimePolicy;
import org.apache.flink.api.connector.source.Source;

/**
 * One named input of the topology: where its raw records come from, their format and event-time
 * policy. The topology builder takes these, so tests, replay and the cloud wire the same pipeline.
 */
public class InputSpec {
    private final String name;
    private final InputFormat format;
    private final Source<RawRecord, ?, ?> source;
    private final EventTimePolicy eventTime;
    /** Source parallelism; 0 keeps the job default. Replay uses 1 to keep each file in order. */
    private final int parallelism;

    public InputSpec(String name, InputFormat format, Source<RawRecord, ?, ?> source,
            EventTimePolicy eventTime, int parallelism) {
        this.name = name;
        this.format = format;
        this.source = source;
        this.eventTime = eventTime;
        this.parallelism = parallelism;
    }

    public String name() {
        return name;
    }

    public InputFormat format() {
        return format;
    }

    public Source<RawRecord, ?, ?> source() {
        return source;
    }

    public EventTimePolicy eventTime() {
        return eventTime;
    }

    public int parallelism() {
        return parallelism;
    }
}
