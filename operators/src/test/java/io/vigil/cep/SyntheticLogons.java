package io.vigil.cep;

import io.vigil.model.AuthEvent;
import io.vigil.model.Envelope;
import java.util.SplittableRandom;

/**
 * LANL-shaped logons for state and throughput runs: many users, each working from one or two
 * computers, about 3 % failed logons and one event in five a LogOff, in time order. The event of
 * an index is fixed, so a run is repeatable. Optionally injects a brute-force incident (six
 * failed logons of one user, then a successful one) every {@code incidentEvery} events.
 */
public final class SyntheticLogons {
    public static final long T0 = 1_790_000_000_000L;

    private final int users;
    private final long stepMs;
    private final long incidentEvery;
    private final long seed;
    private final String[] names;
    private final String[] computers;

    /**
     * @param users distinct destination users
     * @param stepMs event time between consecutive events
     * @param incidentEvery one incident per this many events; 0 for none
     */
    public SyntheticLogons(int users, long stepMs, long incidentEvery, long seed) {
        this.users = users;
        this.stepMs = stepMs;
        this.incidentEvery = incidentEvery;
        this.seed = seed;
        this.names = new String[users];
        for (int u = 0; u < users; u++) {
            names[u] = "U" + u; // shared, as a parser's interned names would be: the state holds events, not copies of names
        }
        this.computers = new String[20_000];
        for (int c = 0; c < computers.length; c++) {
            computers[c] = "C" + (c + 1);
        }
    }

    /** Incidents injected up to (excluding) this index. */
    public long incidentsBefore(long index) {
        return incidentEvery == 0 ? 0 : (index + incidentEvery - 1) / incidentEvery;
    }

    public long timeOf(long index) {
        return T0 + index * stepMs;
    }

    public Envelope event(long index) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        AuthEvent a = new AuthEvent();
        a.time = timeOf(index);
        int u;
        long inIncident = incidentEvery == 0 ? -1 : index % incidentEvery;
        if (inIncident >= 0 && inIncident < 7) {
            // an attacker's user (one outside the background population) guesses six times, then gets in
            u = -1 - (int) (index / incidentEvery);
            a.success = inIncident == 6;
            a.orientation = "LogOn";
        } else {
            u = rnd.nextInt(users);
            a.success = rnd.nextInt(100) >= 3;
            a.orientation = rnd.nextInt(5) == 0 ? "LogOff" : "LogOn";
        }
        String user = u >= 0 ? names[u] : "X" + (-u);
        int home = Math.floorMod(u * 31, computers.length);
        a.sourceUser = user;
        a.sourceDomain = "DOM1";
        a.destinationUser = user;
        a.destinationDomain = "DOM1";
        a.sourceComputer = computers[(home + rnd.nextInt(2)) % computers.length];
        a.destinationComputer = rnd.nextInt(4) == 0 ? "C586" : computers[Math.floorMod(u * 7919 + rnd.nextInt(4), computers.length)];
        a.authType = rnd.nextInt(3) > 0 ? "Kerberos" : "NTLM";
        a.logonType = "Network";
        return Envelope.of("lanl", a);
    }
}
