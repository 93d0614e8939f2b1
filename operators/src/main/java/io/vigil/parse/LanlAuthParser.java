package io.vigil.parse;

import io.vigil.model.AuthEvent;
import io.vigil.model.Envelope;

/**
 * LANL auth.txt lines: {@code time,src user@domain,dst user@domain,src computer,dst computer,
 * auth type,logon type,orientation,Success|Fail}; no header, {@code ?} for unknown values.
 */
public class LanlAuthParser implements RecordParser {
    static final int COLUMNS = 9;

    @Override
    public Envelope parse(String source, String text) throws InvalidRecordException {
        String[] c = CsvLine.split(text, COLUMNS, false);
        AuthEvent e = new AuthEvent();
        if (c[0].isEmpty() || "?".equals(c[0])) {
            throw new InvalidRecordException(io.vigil.model.ReasonCode.MISSING_FIELD, "time is required");
        }
        e.time = EventTimes.parseEpochSeconds("time", c[0]);
        try {
            AuthFields.sourcePrincipal(e, "source_user", c[1]);
            AuthFields.destinationPrincipal(e, "destination_user", c[2]);
            e.sourceComputer = AuthFields.value("source_computer", c[3]);
            e.destinationComputer = AuthFields.value("destination_computer", c[4]);
            e.authType = AuthFields.value("auth_type", c[5]);
            e.logonType = AuthFields.value("logon_type", c[6]);
            e.orientation = AuthFields.orientation("auth_orientation", c[7]);
            e.success = AuthFields.outcome("success", c[8]);
        } catch (InvalidRecordException x) {
            throw x.withTime(e.time);
        }
        return Envelope.of(source, e);
    }
}
