package io.vigil.source.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The checkpointed position of the control objects: what a restored job starts from. */
class ControlObjectsSplitTest {
    @Test
    void theRulesEtagAndTheKeysReadSurviveACheckpoint() throws Exception {
        ControlObjectsSplit s = new ControlObjectsSplit("\"etag-1\"");
        s.seen.add("control/20261202T100000.000Z-silence-a.jsonl");
        s.seen.add("control/20261202T100001.000Z-silence-b.jsonl");
        ControlObjectsSplit.Serializer ser = ControlObjectsSplit.Serializer.INSTANCE;
        ControlObjectsSplit back = ser.deserialize(ser.getVersion(), ser.serialize(s));
        assertThat(back.rulesEtag).isEqualTo("\"etag-1\"");
        assertThat(back.seen).containsExactlyElementsOf(s.seen);

        ControlObjectsSplit none = ser.deserialize(ser.getVersion(), ser.serialize(new ControlObjectsSplit(null)));
        assertThat(none.rulesEtag).isNull();
        assertThat(none.seen).isEmpty();
    }

    @Test
    void locationsAreParsedAndBadBucketsRefused() {
        S3Location l = S3Location.parse("s3://acme-vigil/control/silences", null, null);
        assertThat(l.bucket).isEqualTo("acme-vigil");
        assertThat(l.asPrefix().key).isEqualTo("control/silences/");
        assertThat(S3Location.parse("s3://acme-vigil/control/rules.yaml", null, null).key).isEqualTo("control/rules.yaml");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> S3Location.parse("s3://Bad_Bucket/x", null, null))
                .hasMessageContaining("not an S3 bucket name");
    }
}
