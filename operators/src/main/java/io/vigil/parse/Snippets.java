package io.vigil.parse;

/** Keeps values quoted in dead-letter details short; the payload itself is kept whole. */
final class Snippets {
    private static final int MAX = 80;

    private Snippets() {}

    static String clip(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= MAX ? s : s.substring(0, MAX) + "...";
    }
}
