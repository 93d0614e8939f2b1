package io.vigil.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.AuthEvent;
import io.vigil.model.Envelope;
import io.vigil.model.ReasonCode;

/**
 * Auth events as JSON with the LANL columns as snake_case keys: {@code time} (epoch seconds),
 * {@code source_user}, {@code destination_user}, {@code source_computer},
 * {@code destination_computer}, {@code auth_type}, {@code logon_type}, {@code auth_orientation},
 * {@code success} ({@code "Success"}/{@code "Fail"} or a boolean).
 */
public class AuthJsonParser implements RecordParser {
    @Override
    public Envelope parse(String source, String text) throws InvalidRecordException {
        JsonNode root = JsonFields.parseObject(text);
        AuthEvent e = new AuthEvent();
        JsonNode t = root.get("time");
        if (JsonFields.absent(t)) {
            throw JsonFields.missing("time");
        }
        if (t.isIntegralNumber() && t.canConvertToLong()) {
            long s = t.longValue();
            e.time = EventTimes.parseEpochSeconds("time", Long.toString(s));
        } else if (t.isTextual()) {
            e.time = EventTimes.parseEpochSeconds("time", t.textValue());
        } else {
            throw new InvalidRecordException(
                    ReasonCode.BAD_TIMESTAMP, "time: expected whole epoch seconds, got " + Snippets.clip(t.toString()));
        }
        try {
            AuthFields.sourcePrincipal(e, "source_user", text(root, "source_user"));
            AuthFields.destinationPrincipal(e, "destination_user", text(root, "destination_user"));
            e.sourceComputer = AuthFields.value("source_computer", text(root, "source_computer"));
            e.destinationComputer = AuthFields.value("destination_computer", text(root, "destination_computer"));
            e.authType = AuthFields.value("auth_type", text(root, "auth_type"));
            e.logonType = AuthFields.value("logon_type", text(root, "logon_type"));
            e.orientation = AuthFields.orientation("auth_orientation", text(root, "auth_orientation"));
            JsonNode ok = root.get("success");
            if (ok != null && ok.isBoolean()) {
                e.success = ok.booleanValue();
            } else {
                e.success = AuthFields.outcome("success", text(root, "success"));
            }
        } catch (InvalidRecordException x) {
            throw x.withTime(e.time);
        }
        return Envelope.of(source, e);
    }

    /** The field's text; absent or null reads as empty (missing), never as unknown. */
    private static String text(JsonNode root, String field) throws InvalidRecordException {
        JsonNode v = root.get(field);
        if (JsonFields.absent(v)) {
            return "";
        }
        if (!v.isTextual()) {
            throw JsonFields.badType(field, "a string", v);
        }
        return v.textValue();
    }
}
