package io.vigil.sink;

import java.io.Serializable;

/** Renders one record as one line of text (no line terminator). */
@FunctionalInterface
public interface LineEncoder<T> extends Serializable {
    String encode(T value) throws Exception;
}
