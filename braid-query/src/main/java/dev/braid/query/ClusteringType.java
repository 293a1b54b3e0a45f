package dev.braid.query;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * The value types a clustering column may have, with their Java representation, natural order
 * and wire encoding. Every type has a zero-length value ({@link #emptyValue()}), which sorts first.
 *
 * <table>
 *   <caption>types</caption>
 *   <tr><th>type</th><th>Java value</th><th>order</th><th>encoding</th></tr>
 *   <tr><td>INT</td><td>Integer</td><td>signed</td><td>4 bytes big-endian</td></tr>
 *   <tr><td>BIGINT</td><td>Long</td><td>signed</td><td>8 bytes big-endian</td></tr>
 *   <tr><td>TEXT</td><td>String</td><td>Unicode code points (= UTF-8 bytes)</td><td>UTF-8</td></tr>
 *   <tr><td>BLOB</td><td>{@link Bytes}</td><td>unsigned bytes</td><td>raw</td></tr>
 *   <tr><td>BOOLEAN</td><td>Boolean</td><td>false &lt; true</td><td>1 byte</td></tr>
 *   <tr><td>DOUBLE</td><td>Double</td><td>{@link Double#compare}</td><td>8 bytes IEEE 754</td></tr>
 *   <tr><td>UUID</td><td>{@link UUID}</td><td>unsigned 128-bit (msb, then lsb)</td><td>16 bytes</td></tr>
 *   <tr><td>TIMESTAMP</td><td>{@link Instant} (millisecond precision)</td><td>signed millis</td><td>8 bytes millis</td></tr>
 * </table>
 */
public enum ClusteringType {
    /** 32-bit signed integer. */
    INT("int", Integer.class),
    /** 64-bit signed integer. */
    BIGINT("bigint", Long.class),
    /** UTF-8 text. */
    TEXT("text", String.class),
    /** Arbitrary bytes. */
    BLOB("blob", Bytes.class),
    /** Boolean. */
    BOOLEAN("boolean", Boolean.class),
    /** IEEE 754 double. */
    DOUBLE("double", Double.class),
    /** 128-bit UUID. */
    UUID("uuid", java.util.UUID.class),
    /** Milliseconds since the epoch. */
    TIMESTAMP("timestamp", Instant.class);

    private final String cqlName;
    private final Class<?> javaType;

    ClusteringType(String cqlName, Class<?> javaType) {
        this.cqlName = cqlName;
        this.javaType = javaType;
    }

    /**
     * The zero-length value of this type: {@code ""} for text, the empty {@link Bytes} for blob
     * (ordinary values of those types), {@link EmptyValue#INSTANCE} for the others.
     */
    public Object emptyValue() {
        switch (this) {
            case TEXT:
                return "";
            case BLOB:
                return Bytes.empty();
            default:
                return EmptyValue.INSTANCE;
        }
    }

    /** The lower-case name used in the notation ({@code int}, {@code bigint}, ...). */
    public String cqlName() {
        return cqlName;
    }

    /** The Java class of non-empty values. */
    public Class<?> javaType() {
        return javaType;
    }

    /** The type named {@code name} (case-insensitive), or {@code null}. */
    public static ClusteringType byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (ClusteringType t : values()) {
            if (t.cqlName.equals(n)) {
                return t;
            }
        }
        return null;
    }

    /**
     * Checks that {@code value} is a valid value of this type.
     *
     * @throws IllegalArgumentException if it is not
     */
    public void check(Object value) {
        if (value == EmptyValue.INSTANCE) {
            if (this == TEXT || this == BLOB) {
                throw new IllegalArgumentException("the empty " + cqlName + " value is " + format(emptyValue())
                        + ", not EmptyValue");
            }
            return;
        }
        if (value == null) {
            throw new IllegalArgumentException("null is not a " + cqlName + " value");
        }
        if (!javaType.isInstance(value)) {
            throw new IllegalArgumentException(
                    "value " + value + " (" + value.getClass().getSimpleName() + ") is not a " + cqlName);
        }
        if (this == TIMESTAMP && ((Instant) value).getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("timestamp " + value + " has sub-millisecond precision");
        }
        if (this == TIMESTAMP) {
            try {
                ((Instant) value).toEpochMilli();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("timestamp " + value
                        + " is outside the range of 64-bit epoch milliseconds");
            }
        }
    }

    /**
     * Compares two values of this type in the type's natural (ascending) order; the empty value
     * sorts first. Values must be valid for the type.
     */
    public int compare(Object a, Object b) {
        boolean ea = a == EmptyValue.INSTANCE;
        boolean eb = b == EmptyValue.INSTANCE;
        if (ea || eb) {
            return ea == eb ? 0 : (ea ? -1 : 1);
        }
        switch (this) {
            case INT:
                return Integer.compare((Integer) a, (Integer) b);
            case BIGINT:
                return Long.compare((Long) a, (Long) b);
            case TEXT:
                return compareCodePoints((String) a, (String) b);
            case BLOB:
                return ((Bytes) a).compareTo((Bytes) b);
            case BOOLEAN:
                return Boolean.compare((Boolean) a, (Boolean) b);
            case DOUBLE:
                return Double.compare((Double) a, (Double) b);
            case UUID: {
                java.util.UUID x = (java.util.UUID) a;
                java.util.UUID y = (java.util.UUID) b;
                int c = Long.compareUnsigned(x.getMostSignificantBits(), y.getMostSignificantBits());
                return c != 0 ? c : Long.compareUnsigned(x.getLeastSignificantBits(), y.getLeastSignificantBits());
            }
            case TIMESTAMP:
                return ((Instant) a).compareTo((Instant) b);
            default:
                throw new AssertionError(this);
        }
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /** Encodes a valid value to its wire bytes ({@link #emptyValue()} encodes to no bytes). */
    public byte[] encode(Object value) {
        check(value);
        if (value == EmptyValue.INSTANCE) {
            return new byte[0];
        }
        switch (this) {
            case INT:
                return ByteBuffer.allocate(4).putInt((Integer) value).array();
            case BIGINT:
                return ByteBuffer.allocate(8).putLong((Long) value).array();
            case TEXT:
                return ((String) value).getBytes(StandardCharsets.UTF_8);
            case BLOB:
                return ((Bytes) value).toByteArray();
            case BOOLEAN:
                return new byte[] {(byte) (((Boolean) value) ? 1 : 0)};
            case DOUBLE:
                return ByteBuffer.allocate(8).putDouble((Double) value).array();
            case UUID: {
                java.util.UUID u = (java.util.UUID) value;
                return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                        .putLong(u.getLeastSignificantBits()).array();
            }
            case TIMESTAMP:
                return ByteBuffer.allocate(8).putLong(((Instant) value).toEpochMilli()).array();
            default:
                throw new AssertionError(this);
        }
    }

    /**
     * Decodes wire bytes; zero bytes decode to {@link #emptyValue()}.
     *
     * @throws IllegalArgumentException if the bytes are not a valid encoding
     */
    public Object decode(byte[] bytes) {
        if (bytes.length == 0) {
            return emptyValue();
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        switch (this) {
            case INT:
                expectLength(bytes, 4);
                return b.getInt();
            case BIGINT:
                expectLength(bytes, 8);
                return b.getLong();
            case TEXT:
                try {
                    return StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(b).toString();
                } catch (CharacterCodingException e) {
                    throw new IllegalArgumentException("invalid UTF-8 in text value", e);
                }
            case BLOB:
                return Bytes.of(bytes);
            case BOOLEAN:
                expectLength(bytes, 1);
                if (bytes[0] != 0 && bytes[0] != 1) {
                    throw new IllegalArgumentException("invalid boolean byte " + bytes[0]);
                }
                return bytes[0] == 1;
            case DOUBLE:
                expectLength(bytes, 8);
                return b.getDouble();
            case UUID:
                expectLength(bytes, 16);
                return new java.util.UUID(b.getLong(), b.getLong());
            case TIMESTAMP:
                expectLength(bytes, 8);
                return Instant.ofEpochMilli(b.getLong());
            default:
                throw new AssertionError(this);
        }
    }

    private void expectLength(byte[] bytes, int n) {
        if (bytes.length != n) {
            throw new IllegalArgumentException(cqlName + " value must be " + n + " bytes, got " + bytes.length);
        }
    }

    /** Formats a value in the text notation (see {@link Notation}). */
    public static String format(Object value) {
        if (value instanceof String s) {
            return "'" + s.replace("'", "''") + "'";
        }
        if (value instanceof Instant i) {
            return Long.toString(i.toEpochMilli());
        }
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        return cqlName;
    }
}
