package io.vigil.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;

/**
 * The Block Kit message of an alert: a headline with severity and state (resolved alerts say so and
 * what they were), the summary, entity, value, threshold and times, and a context line with the
 * runbook link and labels. Every text taken from the event is escaped ({@code &}, {@code <},
 * {@code >}), so {@code <!channel>} or {@code <https://evil|click>} in an entity reaches Slack as
 * inert text; only the runbook link is a link, and only when it is http(s).
 */
public final class SlackMessage {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Slack's limits: a section's text 3000 characters, a field's 2000; the fallback is kept short. */
    private static final int SECTION_MAX = 3000;
    private static final int FIELD_MAX = 2000;

    private SlackMessage() {}

    /**
     * The webhook body. {@code runbookBase} (may be null) makes relative runbook URLs absolute,
     * e.g. {@code https://github.com/acme/vigil/blob/main/}.
     */
    public static String body(AlertEvent a, String runbookBase) {
        return body(a, runbookBase, java.time.ZoneId.of("UTC"));
    }

    /** The webhook body with its times shown in {@code zone}. */
    public static String body(AlertEvent a, String runbookBase, java.time.ZoneId zone) {
        ObjectNode root = MAPPER.createObjectNode();
        // The notification and screen-reader text when blocks cannot be shown.
        root.put("text", fit(headlineText(a) + ": " + escape(orNone(a.summary)), SECTION_MAX));
        ArrayNode blocks = root.putArray("blocks");
        section(blocks, fit(headline(a), SECTION_MAX));
        section(blocks, fit(escape(orNone(a.summary)), SECTION_MAX));
        ObjectNode facts = blocks.addObject();
        facts.put("type", "section");
        ArrayNode fields = facts.putArray("fields");
        field(fields, "Entity", escape(orNone(a.entity)));
        field(fields, "Value", number(a.value));
        field(fields, "Threshold", number(a.threshold));
        field(fields, "Since", time(a.startsAt, zone));
        if (a.escalationLevel != null) { field(fields, "Escalation level", escape(a.escalationLevel)); }
        if (a.state == AlertState.RESOLVED) {
            field(fields, "Resolved at", time(a.endsAt, zone));
        }
        ObjectNode context = blocks.addObject();
        context.put("type", "context");
        ObjectNode line = context.putArray("elements").addObject();
        line.put("type", "mrkdwn");
        line.put("text", fit(contextLine(a, runbookBase), FIELD_MAX));
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Slack message", e);
        }
    }

    /**
     * The webhook body of a notification: a group's summary ({@link #group}) or one alert's
     * message.
     */
    public static String body(Notification n, String runbookBase, java.time.ZoneId zone) {
        if (n.digest != null) {
            return digest(n.digest);
        }
        return n.grouped() ? group(n, runbookBase, zone) : body(n.first(), runbookBase, zone);
    }

    /**
     * A digest's message: the route and period (in the schedule's zone), counts of fired,
     * resolved and still firing alerts, mean and median time to resolve, and the entities that
     * fired most.
     */
    public static String digest(AlertDigest d) {
        java.time.ZoneId zone = java.time.ZoneId.of(d.zone);
        ObjectNode root = MAPPER.createObjectNode();
        String period = time(d.periodStart, zone) + " – " + time(d.periodEnd, zone);
        root.put("text", fit("Digest " + escape(d.route) + ", " + period + ": fired " + d.fired + ", resolved "
                + d.resolved + ", still firing " + d.stillFiring, SECTION_MAX));
        ArrayNode blocks = root.putArray("blocks");
        section(blocks, fit(":bar_chart: *Digest* · " + escape(d.route) + " · " + period, SECTION_MAX));
        section(blocks, "*Fired* " + d.fired + " · *Resolved* " + d.resolved + " · *Still firing* " + d.stillFiring
                + "\n*Time to resolve* " + (d.meanResolveMs == null ? "n/a"
                        : "mean " + io.vigil.config.Durations.format(d.meanResolveMs) + ", median "
                                + io.vigil.config.Durations.format(d.medianResolveMs)));
        StringBuilder top = new StringBuilder("*Top entities*");
        for (int i = 0; i < d.topEntities.length; i++) {
            top.append("\n• ").append(escape(d.topEntities[i])).append(" — fired ").append(d.topEntityFirings[i]);
        }
        if (d.topEntities.length == 0) {
            top.append("\nnone");
        }
        section(blocks, fit(top.toString(), SECTION_MAX));
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Slack message", e);
        }
    }

    /**
     * A group's message: a headline with the counts and the group's labels, firing and resolved
     * counts per rule, the first {@value GroupSummary#SHOWN} alerts by entity with their values and
     * how many more, and a context line with the runbook (when the group is of one rule), the
     * earliest start and the group id.
     */
    public static String group(Notification n, String runbookBase, java.time.ZoneId zone) {
        GroupSummary s = GroupSummary.of(n);
        ObjectNode root = MAPPER.createObjectNode();
        String labels = escape(n.group);
        root.put("text", fit("[" + s.counts() + "] " + labels, SECTION_MAX));
        ArrayNode blocks = root.putArray("blocks");
        String headline = s.firing > 0
                ? icon(n.severity()) + " *" + n.severity().name() + " · " + s.counts().replace(", ", " · ") + "* · " + labels
                : ":white_check_mark: *" + s.counts() + "* · " + labels;
        section(blocks, fit(headline, SECTION_MAX));
        StringBuilder rules = new StringBuilder();
        int listed = 0;
        for (java.util.Map.Entry<String, int[]> r : s.perRule.entrySet()) {
            if (listed++ == 10) {
                rules.append("and ").append(s.perRule.size() - 10).append(" more rules\n");
                break;
            }
            rules.append("• *").append(escape(r.getKey())).append("*: ").append(GroupSummary.ruleCounts(r.getValue()))
                    .append('\n');
        }
        section(blocks, fit(rules.toString().trim(), SECTION_MAX));
        StringBuilder entities = new StringBuilder();
        for (AlertEvent a : s.shown) {
            entities.append("• ").append(escape(orNone(a.entity))).append(" — ").append(GroupSummary.valueOf(a)).append('\n');
        }
        if (s.moreLine() != null) {
            entities.append(s.moreLine());
        }
        section(blocks, fit(entities.toString().trim(), SECTION_MAX));
        StringBuilder context = new StringBuilder();
        String runbook = s.perRule.size() == 1 ? runbook(n.first().runbookUrl, runbookBase) : null;
        if (runbook != null) {
            context.append(runbook).append(" · ");
        }
        long since = Long.MAX_VALUE;
        for (AlertEvent a : n.alerts) {
            since = Math.min(since, a.startsAt);
        }
        context.append("since ").append(time(since, zone)).append(" · ").append(escape(n.key));
        ObjectNode ctx = blocks.addObject();
        ctx.put("type", "context");
        ObjectNode line = ctx.putArray("elements").addObject();
        line.put("type", "mrkdwn");
        line.put("text", fit(context.toString(), FIELD_MAX));
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Slack message", e);
        }
    }

    /** {@code :red_circle: *CRITICAL · FIRING* · rule} or {@code :white_check_mark: *RESOLVED* (was critical) · rule}. */
    static String headline(AlertEvent a) {
        String rule = escape(a.ruleId);
        if (a.state == AlertState.RESOLVED) {
            return ":white_check_mark: *RESOLVED* (was " + a.severity.wire() + ") · " + rule;
        }
        return icon(a.severity) + " *" + a.severity.name() + " · FIRING* · " + rule;
    }

    private static String headlineText(AlertEvent a) {
        return (a.state == AlertState.RESOLVED ? "[RESOLVED] " : "[" + a.severity.name() + "] FIRING ")
                + escape(a.ruleId);
    }

    private static String icon(Severity s) {
        switch (s) {
            case CRITICAL:
                return ":red_circle:";
            case WARNING:
                return ":large_orange_circle:";
            default:
                return ":large_blue_circle:";
        }
    }

    private static String contextLine(AlertEvent a, String runbookBase) {
        StringBuilder sb = new StringBuilder();
        String runbook = runbook(a.runbookUrl, runbookBase);
        if (runbook != null) {
            sb.append(runbook).append(" · ");
        }
        for (Label l : a.labels == null ? new Label[0] : a.labels) {
            sb.append(escape(l.key)).append('=').append(escape(l.value)).append(" · ");
        }
        sb.append("alert ").append(escape(a.alertId));
        return sb.toString();
    }

    /** A link for an http(s) runbook, its escaped text otherwise, null without one. */
    static String runbook(String url, String base) {
        if (url == null || url.trim().isEmpty()) {
            return null;
        }
        String u = url.trim();
        boolean relative = !u.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*");
        if (relative && base != null && isHttp(base)) {
            u = base + (base.endsWith("/") || u.startsWith("/") ? "" : "/") + u;
        }
        if (!isHttp(u) || u.chars().anyMatch(c -> c <= ' ')) {
            return "Runbook: " + escape(url);
        }
        // '|' would end the link's address and start its label: percent-encode it.
        return "<" + escape(u).replace("|", "%7C") + "|Runbook>";
    }

    private static boolean isHttp(String u) {
        String lower = u.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://");
    }

    /** Slack refuses an empty text: a missing one says so. */
    private static String orNone(String s) {
        return s == null || s.trim().isEmpty() ? "(none)" : s;
    }

    /** Slack's mrkdwn escaping: these three characters only, as Slack asks. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&':
                    sb.append("&amp;");
                    break;
                case '<':
                    sb.append("&lt;");
                    break;
                case '>':
                    sb.append("&gt;");
                    break;
                default:
                    sb.append(c);
            }
        }
        return sb.toString();
    }

    private static final java.time.format.DateTimeFormatter READABLE =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", java.util.Locale.ROOT);

    /** A time for people, to the minute, with its zone: {@code 2026-11-02 10:00 UTC}, {@code 2026-11-02 11:00 CET}. */
    public static String time(long epochMs, java.time.ZoneId zone) {
        return READABLE.format(Instant.ofEpochMilli(epochMs).atZone(zone));
    }

    /** Six significant digits, no exponent, "n/a" for a rule without a number. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** Cuts escaped text to Slack's limit without splitting an entity such as {@code &amp;}. */
    static String fit(String escaped, int max) {
        if (escaped.length() <= max) {
            return escaped;
        }
        int end = max - 1;
        int amp = escaped.lastIndexOf('&', end - 1);
        if (amp >= 0 && escaped.indexOf(';', amp) >= end) {
            end = amp;
        }
        return escaped.substring(0, end) + "…";
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        ObjectNode s = blocks.addObject();
        s.put("type", "section");
        ObjectNode text = s.putObject("text");
        text.put("type", "mrkdwn");
        text.put("text", mrkdwn);
    }

    private static void field(ArrayNode fields, String title, String escapedValue) {
        ObjectNode f = fields.addObject();
        f.put("type", "mrkdwn");
        f.put("text", fit("*" + title + "*\n" + escapedValue, FIELD_MAX));
    }
}
