package io.vigil.cli;

import io.vigil.config.ConfigException;
import java.io.PrintStream;
import java.util.Arrays;

/** The {@code bin/vigil} command: dispatches to its sub-commands. */
public final class VigilCli {
    static final String USAGE = String.join("\n",
            "usage: vigil <command> [options]",
            "",
            "commands:",
            "  run      run continuously on a local Flink MiniCluster (web UI on localhost:8081)",
            "  replay   replay recorded input files through the pipeline, deterministically",
            "  rules    check a rules file ('vigil rules check FILE')",
            "  maintain compact small files and expire old snapshots of the curated Iceberg tables",
            "  query    run a read-only SQL query over the local Iceberg tables ('vigil query \"SELECT ...\"')",
            "  package  build the shaded job jar for Managed Flink and print its path and size (bin/vigil)",
            "",
            "'vigil <command> --help' describes a command.");

    private VigilCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command line; returns the process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "replay":
                    return new ReplayCommand(out).run(rest);
                case "run":
                    return new RunCommand(out).run(rest);
                case "rules":
                    return new RulesCommand(out).run(rest);
                case "maintain":
                    return new MaintainCommand(out).run(rest);
                case "query":
                    return new QueryCommand(out, err).run(rest);
                default:
                    err.println("vigil: unknown command '" + args[0] + "'");
                    err.println(USAGE);
                    return 2;
            }
        } catch (UsageException e) {
            err.println("vigil " + args[0] + ": " + e.getMessage());
            err.println("'vigil " + args[0] + " --help' for usage");
            return 2;
        } catch (io.vigil.rules.RuleSetException e) {
            err.println("vigil " + args[0] + ": " + e.getMessage());
            return 2;
        } catch (ConfigException e) {
            err.println("vigil " + args[0] + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("vigil " + args[0] + " failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }
}
