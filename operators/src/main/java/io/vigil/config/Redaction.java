package io.vigil.config;

import java.util.regex.Pattern;

/**
 * Takes credentials out of text that quotes configuration (error messages, {@code toString},
 * the dry run, delivery records): the user and password of a URI ({@code scheme://user:pass@host},
 * as in {@code jdbc:postgresql://user:pass@host/db}), the values of secret-looking URI and JDBC
 * parameters ({@code ?password=}, {@code ;password=}, {@code &token=}, AWS signatures), and the
 * token path of a Slack webhook. What is left still says which host and key were meant.
 */
public final class Redaction {
    public static final String MASK = "****";

    /** scheme://userinfo@ — the userinfo is everything up to the @ before the first / ? # or space. */
    private static final Pattern USERINFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@\\s'\"<>]+@");
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)([?&;](?:password|passwd|pwd|user|username|secret|client_secret|token|access_token|auth|"
                    + "api[_-]?key|key|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|"
                    + "sessiontoken|session_token)=)[^&;\\s'\"<>]*");
    private static final Pattern SLACK_WEBHOOK = Pattern.compile(
            "(?i)(hooks\\.slack(?:-gov)?\\.com/(?:services|workflows|triggers)/)[^\\s'\"<>]+");

    private Redaction() {}

    /** {@code text} with every credential above replaced by {@value #MASK}; null stays null. */
    public static String of(String text) {
        if (text == null) {
            return null;
        }
        String out = USERINFO.matcher(text).replaceAll("$1" + MASK + "@");
        out = SECRET_PARAMETER.matcher(out).replaceAll("$1" + MASK);
        return SLACK_WEBHOOK.matcher(out).replaceAll("$1" + MASK);
    }
}
