package io.vigil.model;

/**
 * An authentication event in the shape of the LANL auth.txt columns. A {@code ?} in the source
 * (a value the collector did not know) is null here.
 */
public class AuthEvent {
    /** Epoch milliseconds (the source gives whole seconds). */
    public long time;
    public String sourceUser;
    public String sourceDomain;
    public String destinationUser;
    public String destinationDomain;
    public String sourceComputer;
    public String destinationComputer;
    public String authType;
    public String logonType;
    public String orientation;
    public boolean success;

    public AuthEvent() {}

    /** {@code user@domain} of the destination, the key credential-guessing rules use. */
    public String destinationPrincipal() {
        destinationPrincipal = Principal.of(destinationPrincipal, destinationUser, destinationDomain);
        return destinationPrincipal.text;
    }

    public String sourcePrincipal() {
        sourcePrincipal = Principal.of(sourcePrincipal, sourceUser, sourceDomain);
        return sourcePrincipal.text;
    }

    // Built once per event rather than by each rule and table that keys on them (and hashed once:
    // a String keeps its hash); not part of the event (transient, not serialized).
    private transient Principal sourcePrincipal;
    private transient Principal destinationPrincipal;

    /** {@code user@domain}, with the very user and domain strings it was built from. */
    private static final class Principal {
        final String user;
        final String domain;
        final String text;

        private Principal(String user, String domain) {
            this.user = user;
            this.domain = domain;
            this.text = principal(user, domain);
        }

        /** {@code built} while the fields are still its strings, else a new one. */
        static Principal of(Principal built, String user, String domain) {
            return built != null && built.user == user && built.domain == domain ? built : new Principal(user, domain);
        }
    }

    private static String principal(String user, String domain) {
        if (user == null) {
            return null;
        }
        return domain == null ? user : user + "@" + domain;
    }
}
