package io.vigil.cli;

/** A command line that cannot be run; printed with the command's usage, exit code 2. */
public class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
