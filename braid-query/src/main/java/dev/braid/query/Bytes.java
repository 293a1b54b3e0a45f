package dev.braid.query;

import java.util.Arrays;
import java.util.HexFormat;

/** An immutable byte string, ordered as unsigned bytes, lexicographically. */
public final class Bytes implements Comparable<Bytes> {
    private static final Bytes EMPTY = new Bytes(new byte[0]);
    private final byte[] data;

    private Bytes(byte[] data) {
        this.data = data;
    }

    /** A copy of {@code data}. */
    public static Bytes of(byte... data) {
        return data.length == 0 ? EMPTY : new Bytes(data.clone());
    }

    /** The empty byte string. */
    public static Bytes empty() {
        return EMPTY;
    }

    /**
     * Parses hex digits (an even number, upper or lower case, no prefix).
     *
     * @throws IllegalArgumentException if {@code hex} is not an even-length hex string
     */
    public static Bytes fromHex(String hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + hex);
        }
        return new Bytes(HexFormat.of().parseHex(hex));
    }

    /** Number of bytes. */
    public int size() {
        return data.length;
    }

    /** The byte at {@code i}. */
    public byte get(int i) {
        return data[i];
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return data.clone();
    }

    /** Lower-case hex, no prefix. */
    public String toHex() {
        return HexFormat.of().formatHex(data);
    }

    @Override
    public int compareTo(Bytes o) {
        return Arrays.compareUnsigned(data, o.data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(data, b.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    /** {@code 0x} followed by lower-case hex digits. */
    @Override
    public String toString() {
        return "0x" + toHex();
    }
}
