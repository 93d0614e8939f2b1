package io.vigil.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A named recurring time interval, as Alertmanager's {@code time_intervals}: it holds at an instant
 * when any of its specs does; a spec holds when every field it sets does (weekdays, times of day,
 * days of the month, months, years), judged in the spec's {@code location}. Ranges are inclusive
 * except times of day, whose end is exclusive.
 */
public class TimeInterval implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private static final String[] WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    private static final String[] MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december"};
    private static final Set<String> SPEC_KEYS = Set.of("times", "weekdays", "days_of_month", "months", "years", "location");
    /** Steps {@link #releaseAt} takes at most before giving up: an interval that always holds. */
    private static final int MAX_STEPS = 4000;

    public String name;
    public Spec[] specs = new Spec[0];

    public TimeInterval() {}

    /** One entry of an interval's {@code time_intervals} list; an empty array means any. */
    public static class Spec implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        /** Minutes of the day, pairs of start (inclusive) and end (exclusive), 0..1440. */
        public int[] minutes = new int[0];
        /** ISO weekdays (1 = Monday), pairs of inclusive bounds. */
        public int[] weekdays = new int[0];
        /** Days of the month, pairs of inclusive bounds; negative counts from the month's end (-1 = last day). */
        public int[] daysOfMonth = new int[0];
        public int[] months = new int[0];
        public int[] years = new int[0];
        /** IANA zone id; UTC unless set. */
        public String location = "UTC";

        public Spec() {}

        boolean holds(long epochMs) {
            ZonedDateTime z = Instant.ofEpochMilli(epochMs).atZone(ZoneId.of(location));
            if (!inRanges(weekdays, z.getDayOfWeek().getValue()) || !inRanges(months, z.getMonthValue())
                    || !inRanges(years, z.getYear()) || !inDays(z.toLocalDate())) {
                return false;
            }
            return minutes.length == 0 || rangeAt(z) >= 0;
        }

        /** The first instant after {@code epochMs} at which this spec may stop holding (it holds at epochMs). */
        long pieceEnd(long epochMs) {
            ZoneId zone = ZoneId.of(location);
            ZonedDateTime z = Instant.ofEpochMilli(epochMs).atZone(zone);
            ZonedDateTime end;
            int r = minutes.length == 0 ? -1 : rangeAt(z);
            if (r < 0 || minutes[r + 1] == 1440) {
                end = z.toLocalDate().plusDays(1).atStartOfDay(zone);
            } else {
                LocalTime t = LocalTime.of(minutes[r + 1] / 60, minutes[r + 1] % 60);
                end = ZonedDateTime.of(z.toLocalDate(), t, zone);
                if (end.toInstant().toEpochMilli() <= epochMs) {
                    end = end.withLaterOffsetAtOverlap(); // the repeated hour of a change back from summer time
                }
            }
            return Math.max(end.toInstant().toEpochMilli(), epochMs + 60_000L);
        }

        private int rangeAt(ZonedDateTime z) {
            int m = z.getHour() * 60 + z.getMinute();
            for (int i = 0; i < minutes.length; i += 2) {
                if (m >= minutes[i] && m < minutes[i + 1]) {
                    return i;
                }
            }
            return -1;
        }

        private boolean inDays(LocalDate d) {
            if (daysOfMonth.length == 0) {
                return true;
            }
            int len = d.lengthOfMonth();
            for (int i = 0; i < daysOfMonth.length; i += 2) {
                int from = daysOfMonth[i] < 0 ? len + 1 + daysOfMonth[i] : daysOfMonth[i];
                int to = daysOfMonth[i + 1] < 0 ? len + 1 + daysOfMonth[i + 1] : daysOfMonth[i + 1];
                if (d.getDayOfMonth() >= from && d.getDayOfMonth() <= Math.min(to, len)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Whether the interval holds at {@code epochMs}. */
    public boolean holds(long epochMs) {
        for (Spec s : specs) {
            if (s.holds(epochMs)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first instant at or after {@code epochMs} at which the interval no longer holds (epochMs
     * itself when it does not); {@link Long#MAX_VALUE} for an interval that never ends.
     */
    public long releaseAt(long epochMs) {
        long t = epochMs;
        for (int i = 0; i < MAX_STEPS; i++) {
            long next = Long.MAX_VALUE;
            for (Spec s : specs) {
                if (s.holds(t)) {
                    next = Math.min(next, s.pieceEnd(t));
                }
            }
            if (next == Long.MAX_VALUE) {
                return t;
            }
            t = next;
        }
        return Long.MAX_VALUE;
    }

    private static boolean inRanges(int[] ranges, int v) {
        if (ranges.length == 0) {
            return true;
        }
        for (int i = 0; i < ranges.length; i += 2) {
            if (v >= ranges[i] && v <= ranges[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads one entry of {@code time_intervals}: {@code {name, time_intervals: [spec...]}} as in
     * Alertmanager, {@code times} accepted for the list; problems go to {@code errors}.
     */
    static TimeInterval read(JsonNode n, int index, List<String> errors) {
        String where = "time_intervals #" + index;
        if (n == null || !n.isObject()) {
            errors.add(where + ": expected a map with name and time_intervals");
            return null;
        }
        TimeInterval ti = new TimeInterval();
        JsonNode name = n.get("name");
        if (name == null || !name.isTextual() || name.textValue().isEmpty()) {
            errors.add(where + ": field 'name': is required");
        } else {
            ti.name = name.textValue();
            where = "time interval '" + ti.name + "'";
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("name") && !k.equals("time_intervals") && !k.equals("times")) {
                errors.add(where + ": field '" + k + "': unknown key; known keys are name, time_intervals (or times)");
            }
        }
        JsonNode list = n.has("time_intervals") ? n.get("time_intervals") : n.get("times");
        if (list == null || !list.isArray() || list.size() == 0) {
            errors.add(where + ": field 'time_intervals': is required: a list of {weekdays, times, days_of_month, months, years, location}");
            return ti;
        }
        List<Spec> specs = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Spec s = spec(list.get(i), where + ": time_intervals #" + (i + 1), errors);
            if (s != null) {
                specs.add(s);
            }
        }
        ti.specs = specs.toArray(new Spec[0]);
        return ti;
    }

    private static Spec spec(JsonNode n, String where, List<String> errors) {
        if (!n.isObject()) {
            errors.add(where + ": expected a map of weekdays, times, days_of_month, months, years, location");
            return null;
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!SPEC_KEYS.contains(k)) {
                errors.add(where + ": field '" + k + "': unknown key; known keys are days_of_month, location, months, times, weekdays, years");
            }
        }
        Spec s = new Spec();
        s.weekdays = ranges(n.get("weekdays"), where + ": field 'weekdays'", WEEKDAYS, 1, 7, false, errors);
        s.daysOfMonth = ranges(n.get("days_of_month"), where + ": field 'days_of_month'", null, 1, 31, true, errors);
        s.months = ranges(n.get("months"), where + ": field 'months'", MONTHS, 1, 12, false, errors);
        s.years = ranges(n.get("years"), where + ": field 'years'", null, 1, 9999, false, errors);
        s.minutes = times(n.get("times"), where + ": field 'times'", errors);
        JsonNode loc = n.get("location");
        if (loc != null && !loc.isNull()) {
            try {
                s.location = ZoneId.of(loc.asText().equals("Local") ? "UTC" : loc.asText()).getId();
            } catch (DateTimeException e) {
                errors.add(where + ": field 'location': unknown time zone '" + loc.asText() + "', e.g. UTC or Europe/Paris");
            }
        }
        return s;
    }

    /** A list of {@code a} or {@code a:b} entries, names or numbers, as inclusive pairs. */
    private static int[] ranges(JsonNode list, String where, String[] names, int min, int max, boolean negative,
            List<String> errors) {
        if (list == null || list.isNull()) {
            return new int[0];
        }
        if (!list.isArray()) {
            errors.add(where + ": must be a list such as ['monday:friday', 'sunday']");
            return new int[0];
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode x : list) {
            String text = x.asText().trim().toLowerCase(Locale.ROOT);
            String[] parts = text.split(":", -1);
            if (parts.length > 2) {
                errors.add(where + ": '" + text + "' is not a value or a range a:b");
                continue;
            }
            Integer from = bound(parts[0], where, names, min, max, negative, errors);
            Integer to = parts.length == 2 ? bound(parts[1], where, names, min, max, negative, errors) : from;
            if (from == null || to == null) {
                continue;
            }
            if ((from < 0) == (to < 0) && from > to) {
                errors.add(where + ": range '" + text + "' ends before it starts");
                continue;
            }
            if (from < 0 && to > 0) {
                errors.add(where + ": range '" + text + "' mixes a day from the end with one from the start");
                continue;
            }
            out.add(from);
            out.add(to);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Integer bound(String s, String where, String[] names, int min, int max, boolean negative,
            List<String> errors) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(s)) {
                    return i + 1;
                }
            }
        }
        try {
            int v = Integer.parseInt(s);
            if ((v >= min && v <= max) || (negative && v <= -min && v >= -max)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(where + ": '" + s + "' is not " + (names != null ? "a name or a number " : "a number ")
                + min + ".." + max + (negative ? " (or -" + max + "..-" + min + ")" : ""));
        return null;
    }

    private static int[] times(JsonNode list, String where, List<String> errors) {
        if (list == null || list.isNull()) {
            return new int[0];
        }
        if (!list.isArray()) {
            errors.add(where + ": must be a list of {start_time: 'HH:MM', end_time: 'HH:MM'}");
            return new int[0];
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode x : list) {
            Integer start = x.isObject() ? minute(x.get("start_time"), where + ".start_time", errors) : null;
            Integer end = x.isObject() ? minute(x.get("end_time"), where + ".end_time", errors) : null;
            if (!x.isObject()) {
                errors.add(where + ": must be a list of {start_time: 'HH:MM', end_time: 'HH:MM'}");
            } else if (start != null && end != null && start >= end) {
                errors.add(where + ": start_time " + x.get("start_time").asText() + " is not before end_time "
                        + x.get("end_time").asText());
            } else if (start != null && end != null) {
                out.add(start);
                out.add(end);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Integer minute(JsonNode v, String where, List<String> errors) {
        String s = v == null ? "" : v.asText().trim();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,2}):([0-9]{2})").matcher(s);
        if (m.matches()) {
            int h = Integer.parseInt(m.group(1));
            int min = Integer.parseInt(m.group(2));
            if (min < 60 && (h < 24 || (h == 24 && min == 0))) {
                return h * 60 + min;
            }
        }
        errors.add(where + ": '" + s + "' is not a time HH:MM between 00:00 and 24:00");
        return null;
    }
}
