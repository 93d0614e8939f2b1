package io.vigil.delivery;

import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.sink.AlertJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * The SNS Publish request of an alert, one message per protocol ({@code MessageStructure=json}):
 * the alert JSON (the same contract as the alert files and table) by default, so SQS, Lambda and
 * HTTP subscribers and {@code email-json} get it, and plain readable text for {@code email}; a
 * Subject for e-mail subscribers, String attributes {@code severity},
 * {@code rule_id} and {@code state} for subscription filter policies, and on FIFO topics the
 * message group (the rule: its alerts stay in order) and deduplication id (the state change).
 */
public final class SnsMessage {
    /**
     * SNS's limits: the API reference says a Subject is "less than 100 characters" (the console
     * says at most 100): 99 satisfies both. Group and deduplication ids: 128.
     */
    static final int SUBJECT_MAX = 99;
    static final int ID_MAX = 128;
    private static final AlertJson JSON = new AlertJson();
    private static final com.fasterxml.jackson.databind.ObjectMapper STRUCTURE = new com.fasterxml.jackson.databind.ObjectMapper();

    private SnsMessage() {}

    public static PublishRequest publish(String topicArn, AlertEvent a) {
        return publish(topicArn, a, java.time.ZoneId.of("UTC"));
    }

    /** The request, the e-mail text showing times in {@code zone}. */
    public static PublishRequest publish(String topicArn, AlertEvent a, java.time.ZoneId zone) {
        PublishRequest.Builder b = PublishRequest.builder()
                .topicArn(topicArn)
                .subject(subject(a))
                .messageStructure("json")
                .message(structure(a, zone))
                .messageAttributes(attributes(a));
        if (isFifo(topicArn)) {
            b.messageGroupId(groupId(a)).messageDeduplicationId(deduplicationId(a));
        }
        return b.build();
    }

    /** The request of a notification: a group's ({@link #publishGroup}) or one alert's. */
    public static PublishRequest publish(String topicArn, Notification n, java.time.ZoneId zone) {
        if (n.digest != null) {
            return publishDigest(topicArn, n);
        }
        return n.grouped() ? publishGroup(topicArn, n, zone) : publish(topicArn, n.first(), zone);
    }

    /** A digest's request: the digest as JSON by default, readable text for e-mail; attribute state {@code digest}. */
    public static PublishRequest publishDigest(String topicArn, Notification n) {
        AlertDigest d = n.digest;
        java.time.ZoneId zone = java.time.ZoneId.of(d.zone);
        try {
            com.fasterxml.jackson.databind.node.ObjectNode json = STRUCTURE.createObjectNode();
            json.put("digest", d.route);
            json.put("period_start", java.time.Instant.ofEpochMilli(d.periodStart).toString());
            json.put("period_end", java.time.Instant.ofEpochMilli(d.periodEnd).toString());
            json.put("fired", d.fired);
            json.put("resolved", d.resolved);
            json.put("still_firing", d.stillFiring);
            com.fasterxml.jackson.databind.node.ArrayNode top = json.putArray("top_entities");
            for (int i = 0; i < d.topEntities.length; i++) {
                top.addObject().put("entity", d.topEntities[i]).put("fired", d.topEntityFirings[i]);
            }
            if (d.meanResolveMs != null) {
                json.put("mean_resolve_ms", d.meanResolveMs);
                json.put("median_resolve_ms", d.medianResolveMs);
            }
            StringBuilder text = new StringBuilder();
            text.append("Vigil digest, ").append(SlackMessage.time(d.periodStart, zone)).append(" to ")
                    .append(SlackMessage.time(d.periodEnd, zone)).append("\n\n");
            line(text, "Fired", String.valueOf(d.fired));
            line(text, "Resolved", String.valueOf(d.resolved));
            line(text, "Still firing", String.valueOf(d.stillFiring));
            line(text, "Time to resolve", d.meanResolveMs == null ? "n/a"
                    : "mean " + io.vigil.config.Durations.format(d.meanResolveMs) + ", median "
                            + io.vigil.config.Durations.format(d.medianResolveMs));
            for (int i = 0; i < d.topEntities.length; i++) {
                text.append("- ").append(d.topEntities[i]).append(": fired ").append(d.topEntityFirings[i]).append('\n');
            }
            com.fasterxml.jackson.databind.node.ObjectNode m = STRUCTURE.createObjectNode();
            String body = STRUCTURE.writeValueAsString(json);
            m.put("default", body);
            m.put("email", text.toString());
            m.put("email-json", body);
            Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
            attributes.put("severity", string("info"));
            attributes.put("rule_id", string("digest"));
            attributes.put("state", string("digest"));
            PublishRequest.Builder b = PublishRequest.builder()
                    .topicArn(topicArn)
                    .subject(printable("Vigil digest: fired " + d.fired + ", resolved " + d.resolved + ", still firing "
                            + d.stillFiring))
                    .messageStructure("json")
                    .message(STRUCTURE.writeValueAsString(m))
                    .messageAttributes(attributes);
            if (isFifo(topicArn)) {
                b.messageGroupId(id(n.key)).messageDeduplicationId(id(n.key));
            }
            return b.build();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot write the SNS digest " + n.key, e);
        }
    }

    /**
     * A group's request: subject {@code [CRITICAL] FIRING 12, RESOLVED 3: rule_id=...}; by
     * default (and {@code email-json}) a JSON object with the group id, labels, counts and every
     * alert's JSON; for {@code email} a text with counts per rule and the first alerts; attributes
     * the highest severity, the rules and {@code firing} while any alert fires; on a FIFO topic
     * the group id as message group and group id and time as deduplication id.
     */
    public static PublishRequest publishGroup(String topicArn, Notification n, java.time.ZoneId zone) {
        GroupSummary s = GroupSummary.of(n);
        com.fasterxml.jackson.databind.node.ObjectNode json = STRUCTURE.createObjectNode();
        json.put("group_id", n.key);
        json.put("group", n.group);
        json.put("firing", s.firing);
        json.put("resolved", s.resolved);
        com.fasterxml.jackson.databind.node.ArrayNode alerts = json.putArray("alerts");
        try {
            for (AlertEvent a : n.alerts) {
                alerts.add(STRUCTURE.readTree(json(a)));
            }
            com.fasterxml.jackson.databind.node.ObjectNode m = STRUCTURE.createObjectNode();
            String body = STRUCTURE.writeValueAsString(json);
            m.put("default", body);
            m.put("email", groupText(n, zone));
            m.put("email-json", body);
            Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
            attributes.put("severity", string(n.severity().wire()));
            attributes.put("rule_id", string(n.ruleIds()));
            attributes.put("state", string(n.firing() ? AlertState.FIRING.wire() : AlertState.RESOLVED.wire()));
            PublishRequest.Builder b = PublishRequest.builder()
                    .topicArn(topicArn)
                    .subject(printable((s.firing > 0 ? "[" + n.severity().name() + "] " : "") + s.counts() + ": " + n.group))
                    .messageStructure("json")
                    .message(STRUCTURE.writeValueAsString(m))
                    .messageAttributes(attributes);
            if (isFifo(topicArn)) {
                b.messageGroupId(id(n.key)).messageDeduplicationId(id(n.key + "-" + n.madeAt));
            }
            return b.build();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot write the SNS message of group " + n.key, e);
        }
    }

    /** A group's e-mail body: counts, counts per rule, the first alerts, how many more. */
    public static String groupText(Notification n, java.time.ZoneId zone) {
        GroupSummary s = GroupSummary.of(n);
        StringBuilder sb = new StringBuilder();
        sb.append(s.firing > 0 ? n.severity().name() + " " : "").append(s.counts()).append(": ").append(n.group).append("\n\n");
        for (Map.Entry<String, int[]> r : s.perRule.entrySet()) {
            sb.append(r.getKey()).append(": ").append(GroupSummary.ruleCounts(r.getValue())).append('\n');
        }
        sb.append('\n');
        for (AlertEvent a : s.shown) {
            sb.append("- ").append(a.entity).append(": ").append(GroupSummary.valueOf(a))
                    .append(", since ").append(SlackMessage.time(a.startsAt, zone)).append('\n');
        }
        if (s.moreLine() != null) {
            sb.append(s.moreLine()).append('\n');
        }
        sb.append('\n');
        line(sb, "Group", n.key);
        return sb.toString();
    }

    public static boolean isFifo(String topicArn) {
        return topicArn.endsWith(".fifo");
    }

    /**
     * {@code [CRITICAL] FIRING rule: entity} or {@code [RESOLVED] rule: entity}: printable ASCII
     * only (others become '?', line breaks spaces), at most 99 characters.
     */
    public static String subject(AlertEvent a) {
        return printable((a.state == AlertState.RESOLVED ? "[RESOLVED] " : "[" + a.severity.name() + "] FIRING ")
                + a.ruleId + ": " + a.entity);
    }

    /** Printable ASCII only (others become '?', line breaks spaces), at most 99 characters. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), SUBJECT_MAX));
        boolean space = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isISOControl(cp)) {
                if (!space && sb.length() > 0) {
                    sb.append(' ');
                }
                space = true;
                continue;
            }
            space = false;
            sb.append(cp >= 0x21 && cp <= 0x7e ? (char) cp : '?');
        }
        String out = sb.toString().trim();
        return out.length() <= SUBJECT_MAX ? out : out.substring(0, SUBJECT_MAX - 3) + "...";
    }

    public static Map<String, MessageAttributeValue> attributes(AlertEvent a) {
        Map<String, MessageAttributeValue> m = new LinkedHashMap<>();
        m.put("severity", string(a.severity.wire()));
        m.put("rule_id", string(a.ruleId));
        m.put("state", string(a.state.wire()));
        return m;
    }

    /** The rule: a FIFO topic keeps each rule's alerts in order, and rules apart. */
    public static String groupId(AlertEvent a) {
        return id(a.ruleId);
    }

    /**
     * The state change: alert id, state and emission time. A redelivery of the same change within
     * SNS's five-minute window is dropped by SNS; a new firing of the same alert is not.
     */
    public static String deduplicationId(AlertEvent a) {
        return id(a.alertId + "-" + a.state.wire() + "-" + a.emittedAt);
    }

    /** SNS ids allow 128 characters of ASCII letters, digits and punctuation: others are hashed. */
    static String id(String s) {
        boolean ok = !s.isEmpty() && s.length() <= ID_MAX;
        for (int i = 0; ok && i < s.length(); i++) {
            char c = s.charAt(i);
            ok = c >= 0x21 && c <= 0x7e;
        }
        if (ok) {
            return s;
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(64);
            for (byte x : h) {
                sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The per-protocol message: {@code default} and {@code email-json} the alert JSON, {@code email} the text. */
    static String structure(AlertEvent a, java.time.ZoneId zone) {
        String json = json(a);
        com.fasterxml.jackson.databind.node.ObjectNode m = STRUCTURE.createObjectNode();
        m.put("default", json);
        m.put("email", text(a, zone));
        m.put("email-json", json);
        try {
            return STRUCTURE.writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the SNS message of alert " + a.alertId, e);
        }
    }

    /** The e-mail body: what happened, the facts one a line, times readable in {@code zone}. */
    public static String text(AlertEvent a, java.time.ZoneId zone) {
        StringBuilder sb = new StringBuilder();
        if (a.state == AlertState.RESOLVED) {
            sb.append("RESOLVED (was ").append(a.severity.wire()).append("): ");
        } else {
            sb.append(a.severity.name()).append(" FIRING: ");
        }
        sb.append(a.ruleId).append("\n\n");
        sb.append(a.summary == null ? "(no summary)" : a.summary).append("\n\n");
        line(sb, "Entity", a.entity);
        line(sb, "Value", SlackMessage.number(a.value));
        if (Double.isFinite(a.threshold)) {
            line(sb, "Threshold", SlackMessage.number(a.threshold));
        }
        line(sb, "Since", SlackMessage.time(a.startsAt, zone));
        if (a.escalationLevel != null) { line(sb, "Escalation level", a.escalationLevel); }
        if (a.state == AlertState.RESOLVED) {
            line(sb, "Resolved at", SlackMessage.time(a.endsAt, zone));
        }
        if (a.runbookUrl != null && !a.runbookUrl.trim().isEmpty()) {
            line(sb, "Runbook", a.runbookUrl.trim());
        }
        if (a.labels != null && a.labels.length > 0) {
            StringBuilder labels = new StringBuilder();
            for (io.vigil.model.Label l : a.labels) {
                labels.append(labels.length() == 0 ? "" : ", ").append(l.key).append('=').append(l.value);
            }
            line(sb, "Labels", labels.toString());
        }
        line(sb, "Rule", a.ruleId);
        line(sb, "Alert id", a.alertId);
        return sb.toString();
    }

    private static void line(StringBuilder sb, String name, String value) {
        sb.append(name).append(": ").append(value == null ? "" : value).append('\n');
    }

    static String json(AlertEvent a) {
        try {
            return JSON.encode(a);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write alert " + a.alertId + " as JSON", e);
        }
    }

    private static MessageAttributeValue string(String v) {
        return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
    }
}
