package io.vigil.model;

import java.io.DataInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.types.StringValue;

/**
 * Reads strings written by {@link StringValue#writeString} (null-aware, each char a variable-length
 * integer) into buffers of its own. {@link StringValue#readString} fetches a thread-local buffer for
 * every string: that lookup was a sixth of the rule router's time. Not thread-safe: a serializer
 * holding one is stateful and hands its duplicates a new one.
 */
public final class StringValueReader {
    private static final int HIGH_BIT = 0x80;
    /** Longer strings (a dead letter's payload) get arrays of their own, so buffers stay small. */
    private static final int MAX_BUFFERED = 4096;

    private byte[] ascii = new byte[64];
    private char[] chars = new char[64];

    /** The next string of {@code in}, or null. */
    public String read(DataInput in) throws IOException {
        int len = in.readUnsignedByte();
        if (len == 0) {
            return null;
        }
        if (len >= HIGH_BIT) {
            len = continueVarint(in, len);
        }
        len -= 1; // a length of zero is the null string
        byte[] b = len <= ascii.length ? ascii : len <= MAX_BUFFERED ? grow(len) : new byte[len];
        for (int i = 0; i < len; i++) {
            int c = in.readUnsignedByte();
            if (c >= HIGH_BIT) {
                return readWide(in, b, i, c, len);
            }
            b[i] = (byte) c;
        }
        // ASCII only: the JDK takes Latin-1 bytes as they are, with no char array to compress
        return new String(b, 0, len, StandardCharsets.ISO_8859_1);
    }

    /** The rest of a string that has a char beyond ASCII at {@code at}, whose first byte was read. */
    private String readWide(DataInput in, byte[] read, int at, int first, int len) throws IOException {
        char[] c = len <= chars.length ? chars : new char[len]; // grow() keeps chars at least as long as ascii
        for (int i = 0; i < at; i++) {
            c[i] = (char) read[i];
        }
        c[at] = (char) continueVarint(in, first);
        for (int i = at + 1; i < len; i++) {
            int b = in.readUnsignedByte();
            c[i] = (char) (b >= HIGH_BIT ? continueVarint(in, b) : b);
        }
        return new String(c, 0, len);
    }

    private byte[] grow(int len) {
        int size = Math.min(MAX_BUFFERED, Integer.highestOneBit(len - 1) << 1);
        ascii = new byte[size];
        if (chars.length < size) {
            chars = new char[size];
        }
        return ascii;
    }

    /** A variable-length integer whose first byte, {@code first}, has the high bit set. */
    private static int continueVarint(DataInput in, int first) throws IOException {
        int value = first & 0x7f;
        int shift = 7;
        int b;
        while ((b = in.readUnsignedByte()) >= HIGH_BIT) {
            value |= (b & 0x7f) << shift;
            shift += 7;
        }
        return value | b << shift;
    }
}
