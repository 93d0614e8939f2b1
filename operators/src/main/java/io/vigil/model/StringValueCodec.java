package io.vigil.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.types.StringValue;

/**
 * Reads and writes strings in {@link StringValue}'s format (null-aware; the length and each char
 * a variable-length integer, so an ASCII char is one byte) with buffers of its own, moving an
 * ASCII string's bytes in one copy. {@code StringValue} fetches a thread-local buffer for every
 * string it reads (a sixth of the rule router's time) and writes char by char through an
 * interface call. Not thread-safe: a serializer holding one is stateful and gives each duplicate
 * its own.
 */
public final class StringValueCodec {
    private static final int HIGH_BIT = 0x80;
    /** Longer strings (a dead letter's payload) get arrays of their own, so buffers stay small. */
    private static final int MAX_BUFFERED = 4096;

    private byte[] bytes = new byte[64];
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
        // a string of len chars takes len bytes or more: its first len bytes can be read at once
        byte[] b = bytes(len);
        in.readFully(b, 0, len);
        for (int i = 0; i < len; i++) {
            if (b[i] < 0) {
                return readWide(in, b, i, len);
            }
        }
        // ASCII only: the JDK keeps Latin-1 bytes as they are, with no char array to compress
        return new String(b, 0, len, StandardCharsets.ISO_8859_1);
    }

    /** The rest of a string whose byte {@code at} of the {@code len} read starts a char beyond ASCII. */
    private String readWide(DataInput in, byte[] read, int at, int len) throws IOException {
        char[] c = len <= chars.length ? chars : new char[len]; // bytes() keeps chars as long as bytes
        for (int i = 0; i < at; i++) {
            c[i] = (char) read[i];
        }
        int pos = at; // the next byte to decode from what was read; past len, from the stream
        for (int i = at; i < len; i++) {
            int value = 0;
            int shift = 0;
            int next;
            do {
                next = pos < len ? read[pos] & 0xff : in.readUnsignedByte();
                pos++;
                value |= (next & 0x7f) << shift;
                shift += 7;
            } while (next >= HIGH_BIT);
            c[i] = (char) value;
        }
        return new String(c, 0, len);
    }

    /** Writes {@code s} (which may be null) as {@link StringValue#writeString} does. */
    public void write(CharSequence s, DataOutput out) throws IOException {
        if (s == null) {
            out.write(0);
            return;
        }
        int len = s.length();
        writeVarint(len + 1, out);
        byte[] b = bytes(len);
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c >= HIGH_BIT) {
                out.write(b, 0, i);
                writeWide(s, i, len, out);
                return;
            }
            b[i] = (byte) c;
        }
        out.write(b, 0, len);
    }

    private static void writeWide(CharSequence s, int from, int len, DataOutput out) throws IOException {
        for (int i = from; i < len; i++) {
            writeVarint(s.charAt(i), out);
        }
    }

    private static void writeVarint(int value, DataOutput out) throws IOException {
        while (value >= HIGH_BIT) {
            out.write(value & 0x7f | HIGH_BIT);
            value >>>= 7;
        }
        out.write(value);
    }

    /** A byte buffer of at least {@code len}: this codec's own up to {@link #MAX_BUFFERED}. */
    private byte[] bytes(int len) {
        if (len <= bytes.length) {
            return bytes;
        }
        if (len > MAX_BUFFERED) {
            return new byte[len];
        }
        int size = Math.min(MAX_BUFFERED, Integer.highestOneBit(len - 1) << 1);
        bytes = new byte[size];
        if (chars.length < size) {
            chars = new char[size];
        }
        return bytes;
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
