package io.vigil.parse;

import io.vigil.model.CommerceEventType;
import io.vigil.model.ReasonCode;

/** The checks REES46 CSV and commerce JSON share. */
final class CommerceFields {
    private CommerceFields() {}

    static CommerceEventType eventType(String raw) throws InvalidRecordException {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidRecordException(ReasonCode.MISSING_FIELD, "event_type is required");
        }
        CommerceEventType t = CommerceEventType.fromWire(raw);
        if (t == null) {
            throw new InvalidRecordException(
                    ReasonCode.UNKNOWN_VALUE,
                    "event_type: '" + Snippets.clip(raw) + "' is not one of view, cart, remove_from_cart, purchase");
        }
        return t;
    }

    static long id(String field, String raw) throws InvalidRecordException {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidRecordException(ReasonCode.MISSING_FIELD, field + " is required");
        }
        try {
            return Numbers.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new InvalidRecordException(
                    ReasonCode.BAD_TYPE, field + ": expected a whole number, got " + Snippets.clip(raw));
        }
    }

    static double price(String raw) throws InvalidRecordException {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidRecordException(ReasonCode.MISSING_FIELD, "price is required");
        }
        double p;
        try {
            p = Numbers.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw new InvalidRecordException(
                    ReasonCode.BAD_TYPE, "price: expected a number, got " + Snippets.clip(raw));
        }
        return checkPrice(p, raw);
    }

    static double checkPrice(double p, String shown) throws InvalidRecordException {
        if (!Double.isFinite(p)) {
            throw new InvalidRecordException(
                    ReasonCode.BAD_TYPE, "price: expected a finite number, got " + Snippets.clip(shown));
        }
        if (p < 0) {
            throw new InvalidRecordException(ReasonCode.OUT_OF_RANGE, "price: " + shown + " is negative");
        }
        return p;
    }

    static String optional(String raw) {
        return raw == null || raw.isEmpty() ? null : raw;
    }
}
