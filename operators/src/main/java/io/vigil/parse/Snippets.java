package io.vigil.parse;

/** Keeps values quoted in dead-letter details short; the payload itself is kept whole. */
final class Snippets {
    private static final int MAX = 80;

    private Snippets() {}

    static String clip(String s) {
        if (s == null) {
            return "null";
        }
        if (s.length() <= MAX) {
            return s;
        }
        // never between the two halves of a surrogate pair: half a character is no text
        int end = Character.isHighSurrogate(s.charAt(MAX - 1)) ? MAX - 1 : MAX;
        return s.substring(0, end) + "...";
    }

    /**
     * {@code s} with every unpaired surrogate replaced by U+FFFD, so it can be written as UTF-8
     * (a detail may quote a parser's message that names half a character).
     */
    static String wellFormed(String s) {
        if (s == null || firstUnpaired(s) < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return sb.toString();
    }

    /** The index of the first unpaired surrogate in {@code s}, or -1. */
    static int firstUnpaired(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else {
                return i;
            }
        }
        return -1;
    }
}
