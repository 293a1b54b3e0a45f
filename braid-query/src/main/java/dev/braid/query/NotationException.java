package dev.braid.query;

/**
 * A malformed text-notation input. The message names the problem, the 1-based column and shows
 * the input with a caret under the offending character. Columns count Unicode code points, so
 * the caret stays under its character after an emoji or any other supplementary character.
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
        super(reason + " at column " + column(input, index) + "\n  " + input + "\n  "
                + " ".repeat(column(input, index) - 1) + "^");
        this.input = input;
        this.index = index;
        this.reason = reason;
    }

    /** The input that failed to parse. */
    public String input() {
        return input;
    }

    /** 0-based index of the offending character, in UTF-16 units of {@link #input()}. */
    public int index() {
        return index;
    }

    /** 1-based column of the offending character, in Unicode code points. */
    public int column() {
        return column(input, index);
    }

    private static int column(String input, int index) {
        int i = Math.max(0, Math.min(index, input.length()));
        return input.codePointCount(0, i) + 1 + Math.max(0, index - input.length());
    }

    /** The problem, without position or input. */
    public String reason() {
        return reason;
    }
}
