package io.vigil.model;

/** REES46 {@code event_type} values. */
public enum CommerceEventType {
    VIEW("view"),
    CART("cart"),
    REMOVE_FROM_CART("remove_from_cart"),
    PURCHASE("purchase");

    private final String wire;

    CommerceEventType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The type for a wire value, or null if it is not one of the four. */
    public static CommerceEventType fromWire(String s) {
        for (CommerceEventType t : values()) {
            if (t.wire.equals(s)) {
                return t;
            }
        }
        return null;
    }
}
