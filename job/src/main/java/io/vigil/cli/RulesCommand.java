package io.vigil.cli;

import io.vigil.rules.Rule;
import io.vigil.rules.RuleSet;
import io.vigil.rules.RuleSetException;
import io.vigil.rules.RulesFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vigil rules check FILE}: validates a rules file and prints every error. */
@Command(name = "rules", header = "check a rules file ('vigil rules check FILE')",
        mixinStandardHelpOptions = true, versionProvider = VigilVersion.class,
        customSynopsis = "vigil rules check FILE...",
        description = {
            "Validates a rules file: unknown keys, bad durations, thresholds in the wrong order, unknown",
            "kinds, missing windows. Exits 0 when the file is good, 1 with every error otherwise, each",
            "naming the rule id and field; 2 when FILE does not exist. Several files (rule packs) are",
            "checked as the one rule set they make together: a rule id in two files is an error."})
public final class RulesCommand implements Callable<Integer> {
    private final PrintStream out;

    public RulesCommand(PrintStream out) {
        this.out = out;
    }

    /** {@code vigil rules} alone: what it takes, as a usage error. */
    @Override
    public Integer call() throws UsageException {
        throw new UsageException("expected 'rules check FILE'");
    }

    @Command(name = "check", mixinStandardHelpOptions = true, description = "validate FILE and print every error")
    int check(@Parameters(paramLabel = "FILE", arity = "1..*",
            description = "the rules file, e.g. conf/rules.yaml; or several, e.g. conf/packs/*.yaml") List<Path> files)
            throws UsageException, IOException {
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new UsageException("no such file " + file);
            }
        }
        try {
            RuleSet set = RulesFile.loadAll(files);
            String name = files.size() == 1 ? files.get(0).toString() : files.size() + " files";
            out.println(name + ": " + set.rules.length + " rules OK (version " + set.version + ")");
            for (Rule r : set.rules) {
                out.println("  " + r.id + " (" + r.kind.id() + ")");
            }
            return VigilCli.OK;
        } catch (RuleSetException e) {
            out.println(e.getMessage());
            return VigilCli.FAILED;
        }
    }
}
