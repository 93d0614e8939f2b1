package io.vigil.model;

import java.util.Objects;

/** A metric label; labels travel as a sorted array so the sample stays a Flink POJO. */
public class Label implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public String key;
    public String value;

    public Label() {}

    public Label(String key, String value) {
        this.key = key;
        this.value = value;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Label)) {
            return false;
        }
        Label that = (Label) o;
        return Objects.equals(key, that.key) && Objects.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, value);
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
