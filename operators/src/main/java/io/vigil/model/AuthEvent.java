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
        if (destinationPrincipal == null || destinationPrincipalOf != destinationUser || destinationPrincipalIn != destinationDomain) {
            destinationPrincipal = principal(destinationUser, destinationDomain);
            destinationPrincipalOf = destinationUser;
            destinationPrincipalIn = destinationDomain;
        }
        return destinationPrincipal;
    }

    public String sourcePrincipal() {
        if (sourcePrincipal == null || sourcePrincipalOf != sourceUser || sourcePrincipalIn != sourceDomain) {
            sourcePrincipal = principal(sourceUser, sourceDomain);
            sourcePrincipalOf = sourceUser;
            sourcePrincipalIn = sourceDomain;
        }
        return sourcePrincipal;
    }

    // The principals, built once per event rather than by each rule and table that keys on them
    // (and hashed once: a String keeps its hash). Valid while the user and domain are the very
    // strings they were built from; not part of the event (transient, not serialized).
    private transient String sourcePrincipal;
    private transient String sourcePrincipalOf;
    private transient String sourcePrincipalIn;
    private transient String destinationPrincipal;
    private transient String destinationPrincipalOf;
    private transient String destinationPrincipalIn;

    private static String principal(String user, String domain) {
        if (user == null) {
            return null;
        }
        return domain == null ? user : user + "@" + domain;
    }
}
