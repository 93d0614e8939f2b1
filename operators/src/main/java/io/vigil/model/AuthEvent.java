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
        return principal(destinationUser, destinationDomain);
    }

    public String sourcePrincipal() {
        return principal(sourceUser, sourceDomain);
    }

    private static String principal(String user, String domain) {
        if (user == null) {
            return null;
        }
        return domain == null ? user : user + "@" + domain;
    }
}
