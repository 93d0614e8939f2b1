package io.vigil.cli;

import java.util.Map;

/** Whether the CLI's output may carry ANSI colour: only to a terminal, and never with NO_COLOR set (no-color.org). */
final class Terminal {
    private Terminal() {}

    /** This process: stdout is a terminal when the JVM has a console (not piped, not redirected). */
    static boolean colour() {
        return colour(System.getenv(), System.console() != null);
    }

    static boolean colour(Map<String, String> env, boolean console) {
        String noColor = env.get("NO_COLOR");
        return console && (noColor == null || noColor.isEmpty());
    }
}
