package io.vigil.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The length caps of an alert's free text ({@code entity}, {@code summary}), which come from
 * input records and so can be of any size: capped, every alert fits a Slack message and SNS's
 * 256 KB limit whatever the input. A capped text ends with a marker naming the whole text's
 * length and a hash of it, so two long texts that share their start stay distinct.
 */
public final class AlertText {
    /** Most characters of an alert's entity. */
    public static final int ENTITY_MAX = 512;
    /** Most characters of an alert's summary. */
    public static final int SUMMARY_MAX = 2048;
    /** What every capped text's marker starts with. */
    public static final String MARKER = "… [truncated from ";

    private AlertText() {}

    public static String entity(String text) {
        return cap(text, ENTITY_MAX);
    }

    public static String summary(String text) {
        return cap(text, SUMMARY_MAX);
    }

    /**
     * {@code text} when it has at most {@code max} characters; otherwise its start and the marker
     * {@code … [truncated from N chars, sha256 XXXXXXXXXXXX]} (N: the whole text's length),
     * {@code max} characters in all, never
     * splitting a surrogate pair.
     */
    public static String cap(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        String marker = MARKER + text.length() + " chars, sha256 " + hash(text) + "]";
        int keep = Math.max(0, max - marker.length());
        if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--;
        }
        String out = text.substring(0, keep) + marker;
        return out.length() <= max ? out : out.substring(0, max);
    }

    /** True when {@code text} was capped by {@link #cap}: what the truncation counter counts. */
    public static boolean isCapped(String text) {
        return text != null && text.contains(MARKER) && text.endsWith("]");
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                sb.append(String.format("%02x", d[i]));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JVM", e);
        }
    }
}
