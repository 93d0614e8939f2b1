package io.vigil.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.ReasonCode;
import io.vigil.model.SourceTally;
import io.vigil.testing.Samples;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class SourceTallyHarnessTest {
    private final RecordDecoder decoder = new RecordDecoder(() -> 1_795_000_000_000L);

    private Envelope rec(String source, String line) {
        Envelope e = decoder.decode(Samples.raw(InputFormat.LANL_AUTH, line));
        e.source = source;
        return e;
    }

    @Test
    void emitsOneTallyPerSourceOnTheFinalWatermarkAndLeavesNoStateOrTimer() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Envelope, SourceTally> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new SourceTallyFunction()), e -> e.source, Types.STRING)) {
            h.open();
            String ok = "1,U1@DOM1,U1@DOM1,C1,C2,NTLM,Network,LogOn,Success";
            h.processElement(new StreamRecord<>(rec("a", ok), 1000));
            Envelope late = rec("a", ok);
            late.late = true;
            h.processElement(new StreamRecord<>(late, 1000));
            h.processElement(new StreamRecord<>(rec("a", "junk"), 1000));
            h.processElement(new StreamRecord<>(rec("b", ok.replace("Success", "Nope")), 1000));
            h.processWatermark(5_000);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);
            assertThat(h.numEventTimeTimers()).isEqualTo(2);

            h.processWatermark(Long.MAX_VALUE);
            assertThat(h.extractOutputValues()).hasSize(2);
            SourceTally a = h.extractOutputValues().stream().filter(t -> t.source.equals("a")).findFirst().get();
            assertThat(a.read).isEqualTo(3);
            assertThat(a.valid).isEqualTo(2);
            assertThat(a.invalid).isEqualTo(1);
            assertThat(a.late).isEqualTo(1);
            assertThat(a.invalidByReason[ReasonCode.MALFORMED_CSV.ordinal()]).isEqualTo(1);
            SourceTally b = h.extractOutputValues().stream().filter(t -> t.source.equals("b")).findFirst().get();
            assertThat(b.invalidByReason[ReasonCode.UNKNOWN_VALUE.ordinal()]).isEqualTo(1);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
