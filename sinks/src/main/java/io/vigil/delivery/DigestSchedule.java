package io.vigil.delivery;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/** When a route's digest goes out: daily at a local time in a time zone (08:00 Europe/Madrid). */
public final class DigestSchedule implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String at;
    private final String zone;

    private DigestSchedule(LocalTime at, ZoneId zone) {
        this.at = Objects.requireNonNull(at, "at").toString();
        this.zone = Objects.requireNonNull(zone, "zone").getId();
    }

    public static DigestSchedule daily(LocalTime at, ZoneId zone) {
        return new DigestSchedule(at, zone);
    }

    public LocalTime at() {
        return LocalTime.parse(at);
    }

    public ZoneId zone() {
        return ZoneId.of(zone);
    }

    /** The first digest time strictly after {@code t} (epoch ms); a day of 23 or 25 hours is kept. */
    public long nextAfter(long t) {
        ZonedDateTime now = Instant.ofEpochMilli(t).atZone(zone());
        ZonedDateTime next = now.toLocalDate().atTime(at()).atZone(zone());
        while (!next.isAfter(now)) {
            next = next.toLocalDate().plusDays(1).atTime(at()).atZone(zone());
        }
        return next.toInstant().toEpochMilli();
    }

    @Override
    public String toString() {
        return "digest daily at " + at + " " + zone;
    }
}
