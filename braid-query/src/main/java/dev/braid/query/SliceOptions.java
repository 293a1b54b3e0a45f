package dev.braid.query;

import java.util.EnumSet;
import java.util.Set;
import java.util.StringJoiner;

/** An immutable set of {@link SliceOption}s, serialized as a 64-bit mask. */
public final class SliceOptions {
    private static final long KNOWN_MASK = (1L << SliceOption.values().length) - 1;
    private static final SliceOptions NONE = new SliceOptions(0);
    private final long mask;

    private SliceOptions(long mask) {
        this.mask = mask;
    }

    /** No options. */
    public static SliceOptions none() {
        return NONE;
    }

    /** The given options. */
    public static SliceOptions of(SliceOption... options) {
        long m = 0;
        for (SliceOption o : options) {
            m |= o.bit();
        }
        return new SliceOptions(m);
    }

    /**
     * The options of a wire mask.
     *
     * @throws IllegalArgumentException if a bit that no known option uses is set
     */
    public static SliceOptions fromMask(long mask) {
        long unknown = mask & ~KNOWN_MASK;
        if (unknown != 0) {
            throw new IllegalArgumentException("unknown partition-slice option bits 0x" + Long.toHexString(unknown)
                    + " in mask 0x" + Long.toHexString(mask));
        }
        return mask == 0 ? NONE : new SliceOptions(mask);
    }

    /** The wire mask. */
    public long mask() {
        return mask;
    }

    /** Whether {@code option} is set. */
    public boolean contains(SliceOption option) {
        return (mask & option.bit()) != 0;
    }

    /** These options plus {@code option}. */
    public SliceOptions with(SliceOption option) {
        return new SliceOptions(mask | option.bit());
    }

    /** These options minus {@code option}. */
    public SliceOptions without(SliceOption option) {
        return new SliceOptions(mask & ~option.bit());
    }

    /** These options with {@code option} flipped. */
    public SliceOptions toggle(SliceOption option) {
        return new SliceOptions(mask ^ option.bit());
    }

    /** The options as an enum set (a copy). */
    public Set<SliceOption> toSet() {
        EnumSet<SliceOption> s = EnumSet.noneOf(SliceOption.class);
        for (SliceOption o : SliceOption.values()) {
            if (contains(o)) {
                s.add(o);
            }
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SliceOptions s && s.mask == mask;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(mask);
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(",", "{", "}");
        toSet().forEach(o -> j.add(o.name().toLowerCase(java.util.Locale.ROOT)));
        return j.toString();
    }
}
