package io.vigil.cli;

import io.vigil.rules.Rule;
import io.vigil.rules.RuleSet;
import io.vigil.rules.RuleSetException;
import io.vigil.rules.RulesFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** {@code vigil rules check FILE}: validates a rules file and prints every error. */
public final class RulesCommand {
    static final String USAGE = String.join("\n",
            "usage: vigil rules check FILE",
            "",
            "Validates a rules file: unknown keys, bad durations, thresholds in the wrong order, unknown",
            "kinds, missing windows. Exits 0 when the file is good, 1 with every error otherwise, each",
            "naming the rule id and field.");

    private final PrintStream out;

    public RulesCommand(PrintStream out) {
        this.out = out;
    }

    public int run(String[] args) throws UsageException, IOException {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(USAGE);
            return 0;
        }
        if (args.length != 2 || !args[0].equals("check")) {
            throw new UsageException("expected 'rules check FILE'");
        }
        Path file = Paths.get(args[1]);
        if (!Files.isRegularFile(file)) {
            throw new UsageException("no such file " + file);
        }
        try {
            RuleSet set = RulesFile.load(file);
            out.println(file + ": " + set.rules.length + " rules OK (version " + set.version + ")");
            for (Rule r : set.rules) {
                out.println("  " + r.id + " (" + r.kind.id() + ")");
            }
            return 0;
        } catch (RuleSetException e) {
            out.println(e.getMessage());
            return 1;
        }
    }
}
