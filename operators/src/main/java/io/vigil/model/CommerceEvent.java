package io.vigil.model;

/** An e-commerce event in the shape of the REES46 dataset. */
public class CommerceEvent {
    /** Epoch milliseconds. */
    public long eventTime;
    public CommerceEventType eventType;
    public long productId;
    public long categoryId;
    /** Null when the source left it empty. */
    public String categoryCode;
    public String brand;
    public double price;
    public long userId;
    public String userSession;

    public CommerceEvent() {}
}
