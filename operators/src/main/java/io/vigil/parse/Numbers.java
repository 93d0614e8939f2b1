package io.vigil.parse;

/**
 * Strict number syntax for numbers written as text: ASCII decimal only. The JDK's parsers are
 * laxer than any input format: {@code Long.parseLong} takes other scripts' digits (fullwidth,
 * Arabic-Indic) and {@code Double.parseDouble} takes hex floats, {@code f}/{@code d} suffixes and
 * surrounding whitespace and control characters, all of which a hostile producer can send.
 */
final class Numbers {
    private Numbers() {}

    /** An optional sign and ASCII digits, as a long; anything else throws. */
    static long parseLong(String s) {
        if (!isInteger(s)) {
            throw new NumberFormatException("not a decimal whole number");
        }
        return Long.parseLong(s);
    }

    /**
     * A decimal number ({@code -1}, {@code 2.50}, {@code .5}, {@code 1e3}), or {@code NaN} and
     * {@code Infinity} spelled out, which parse (to be refused as not finite, with that reason);
     * anything else throws.
     */
    static double parseDouble(String s) {
        if (!isDecimal(s) && !isNonFiniteWord(s)) {
            throw new NumberFormatException("not a decimal number");
        }
        return Double.parseDouble(s);
    }

    static boolean isInteger(String s) {
        int i = sign(s, 0);
        return digits(s, i) == s.length() && s.length() > i;
    }

    static boolean isDecimal(String s) {
        int i = sign(s, 0);
        int intEnd = digits(s, i);
        int end = intEnd;
        boolean any = intEnd > i;
        if (end < s.length() && s.charAt(end) == '.') {
            int fracEnd = digits(s, end + 1);
            any |= fracEnd > end + 1;
            end = fracEnd;
        }
        if (!any) {
            return false;
        }
        if (end < s.length() && (s.charAt(end) == 'e' || s.charAt(end) == 'E')) {
            int expStart = sign(s, end + 1);
            int expEnd = digits(s, expStart);
            if (expEnd == expStart) {
                return false;
            }
            end = expEnd;
        }
        return end == s.length();
    }

    private static boolean isNonFiniteWord(String s) {
        String w = s.substring(sign(s, 0));
        return w.equals("NaN") || w.equals("Infinity");
    }

    private static int sign(String s, int i) {
        return i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-') ? i + 1 : i;
    }

    /** The index after the ASCII digits starting at {@code i}. */
    private static int digits(String s, int i) {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }
}
