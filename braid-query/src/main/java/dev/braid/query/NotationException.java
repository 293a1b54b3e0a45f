package dev.braid.query;

/**
 * A malformed text-notation input. The message names the problem, the 1-based column and shows
 * the input with a caret under the offending character.
 */
public final class NotationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String input;
    private final int index;
    private final String reason;

    /**
     * @param reason what is wrong
     * @param input  the whole input
     * @param index  0-based index of the offending character ({@code input.length()} for "end of input")
     */
    public NotationException(String reason, String input, int index) {
        super(reason + " at column " + (index + 1) + "\n  " + input + "\n  " + " ".repeat(Math.max(0, index)) + "^");
        this.input = input;
        this.index = index;
        this.reason = reason;
    }

    /** The input that failed to parse. */
    public String input() {
        return input;
    }

    /** 0-based index of the offending character. */
    public int index() {
        return index;
    }

    /** 1-based column of the offending character. */
    public int column() {
        return index + 1;
    }

    /** The problem, without position or input. */
    public String reason() {
        return reason;
    }
}
