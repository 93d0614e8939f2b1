package io.vigil.parse;

import io.vigil.model.AuthEvent;
import io.vigil.model.ReasonCode;

/** The checks LANL lines and auth JSON share, so both formats accept exactly the same events. */
final class AuthFields {
    /** LANL's authentication orientations; {@code ?} (unknown) is valid too. */
    private static final String[] ORIENTATIONS = {
        "LogOn", "LogOff", "TGS", "TGT", "AuthMap", "ScreenLock", "ScreenUnlock"
    };

    private AuthFields() {}

    /** A LANL value: {@code ?} means unknown (null); empty means the field is missing. */
    static String value(String field, String raw) throws InvalidRecordException {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidRecordException(ReasonCode.MISSING_FIELD, field + " is required (use ? for unknown)");
        }
        return "?".equals(raw) ? null : raw;
    }

    /**
     * Splits {@code user@domain} at the last {@code @} (LANL user names never contain one) into
     * {user, domain}; null for an unknown ({@code ?}) principal.
     */
    static String[] principal(String field, String raw) throws InvalidRecordException {
        String v = value(field, raw);
        if (v == null) {
            return null;
        }
        int at = v.lastIndexOf('@');
        return at < 0 ? new String[] {v, null} : new String[] {v.substring(0, at), emptyToNull(v.substring(at + 1))};
    }

    static void sourcePrincipal(AuthEvent e, String field, String raw) throws InvalidRecordException {
        String[] p = principal(field, raw);
        if (p != null) {
            e.sourceUser = p[0];
            e.sourceDomain = p[1];
        }
    }

    static void destinationPrincipal(AuthEvent e, String field, String raw) throws InvalidRecordException {
        String[] p = principal(field, raw);
        if (p != null) {
            e.destinationUser = p[0];
            e.destinationDomain = p[1];
        }
    }

    static String orientation(String field, String raw) throws InvalidRecordException {
        String v = value(field, raw);
        if (v == null) {
            return null;
        }
        for (String o : ORIENTATIONS) {
            if (o.equals(v)) {
                return o;
            }
        }
        throw new InvalidRecordException(
                ReasonCode.UNKNOWN_VALUE,
                field + ": '" + Snippets.clip(v) + "' is not one of LogOn, LogOff, TGS, TGT, AuthMap, ScreenLock, ScreenUnlock, ?");
    }

    static boolean outcome(String field, String raw) throws InvalidRecordException {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidRecordException(ReasonCode.MISSING_FIELD, field + " is required");
        }
        if ("Success".equals(raw)) {
            return true;
        }
        if ("Fail".equals(raw)) {
            return false;
        }
        throw new InvalidRecordException(
                ReasonCode.UNKNOWN_VALUE, field + ": '" + Snippets.clip(raw) + "' is not Success or Fail");
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
