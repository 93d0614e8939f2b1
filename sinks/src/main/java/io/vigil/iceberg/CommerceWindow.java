package io.vigil.iceberg;

/** What one commerce source delivered in one commerce_metrics window, as it accumulates. */
public class CommerceWindow {
    public long views;
    public long carts;
    public long removals;
    public long purchases;
    /** Sum of purchase prices. */
    public double revenue;
    public long valid;
    public long invalid;

    public CommerceWindow() {}
}
