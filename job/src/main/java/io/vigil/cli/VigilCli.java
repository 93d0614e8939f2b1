package io.vigil.cli;

import io.vigil.config.ConfigException;
import io.vigil.rules.RuleSetException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;

/** The {@code bin/vigil} command: dispatches to its sub-commands. */
@Command(name = "vigil", mixinStandardHelpOptions = true, versionProvider = VigilVersion.class,
        subcommands = CommandLine.HelpCommand.class,
        description = "Vigil: a Flink streaming monitor for data pipelines and the event streams they carry.",
        footer = {"",
            "  package   build the shaded job jar for Managed Flink and print its path and size (bin/vigil only)",
            "",
            "'vigil <command> --help' describes a command. Options take their value as '--opt value' or '--opt=value'.",
            "",
            "Exit codes: 0 ok; 1 findings or failure (rules with errors, a failed job or query);",
            "2 usage (unknown command or option, bad value, a file named on the command line missing,",
            "an invalid config)."})
public final class VigilCli implements Callable<Integer> {
    /** Exit code: the command did what was asked. */
    public static final int OK = 0;
    /** Exit code: findings (a rules file with errors) or a failure while running. */
    public static final int FAILED = 1;
    /** Exit code: the command line cannot be run as given. */
    public static final int USAGE_ERROR = 2;

    static final String USAGE = commandLine(nowhere(), nowhere(), false).getUsageMessage(Ansi.OFF);

    private final PrintStream out;

    private VigilCli(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command line; returns the process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return commandLine(out, err, Terminal.colour()).execute(args);
    }

    /** No command: the overview, and a usage error (a script calling bare {@code vigil} is wrong). */
    @Override
    public Integer call() {
        out.print(USAGE);
        out.flush();
        return USAGE_ERROR;
    }

    static CommandLine commandLine(PrintStream out, PrintStream err, boolean colour) {
        CommandLine cl = new CommandLine(new VigilCli(out));
        cl.addSubcommand(new RunCommand(out));
        cl.addSubcommand(new ReplayCommand(out, err));
        cl.addSubcommand(new RulesCommand(out));
        cl.addSubcommand(new SilenceCommand(out));
        cl.addSubcommand(new MaintainCommand(out));
        cl.addSubcommand(new QueryCommand(out, err));
        // a statement may start with "-- a comment": the query command sorts options from SQL itself
        cl.getSubcommands().get("query").setUnmatchedOptionsArePositionalParams(true);
        cl.getSubcommands().get("replay").getCommandSpec().usageMessage().footer(ReplayCommand.footer());
        cl.setOut(writer(out));
        cl.setErr(writer(err));
        cl.setUsageHelpWidth(120);
        cl.setExpandAtFiles(false); // an argument starting with @ is a path or SQL, never a file of arguments
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(colour ? Ansi.ON : Ansi.OFF));
        cl.setParameterExceptionHandler(VigilCli::usageError);
        cl.setExecutionExceptionHandler(VigilCli::failure);
        return cl;
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine c = e.getCommandLine();
        PrintWriter err = c.getErr();
        String name = c.getCommandSpec().qualifiedName();
        if (e instanceof CommandLine.UnmatchedArgumentException && c.getParent() == null && args.length > 0
                && !args[0].startsWith("-")) {
            err.println(name + ": unknown command '" + args[0] + "'");
        } else {
            err.println(name + ": " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        }
        err.println("'" + name + " --help' for usage");
        err.flush();
        return USAGE_ERROR;
    }

    private static int failure(Exception e, CommandLine c, CommandLine.ParseResult parsed) {
        PrintWriter err = c.getErr();
        String name = c.getCommandSpec().qualifiedName();
        int exit;
        if (e instanceof UsageException) {
            err.println(name + ": " + e.getMessage());
            err.println("'" + name + " --help' for usage");
            exit = USAGE_ERROR;
        } else if (e instanceof ConfigException) {
            err.println(name + ": " + e.getMessage());
            exit = USAGE_ERROR;
        } else if (e instanceof RuleSetException) {
            // the same bad rules file is a finding whichever command read it, as in 'vigil rules check'
            err.println(name + ": " + e.getMessage());
            exit = FAILED;
        } else {
            err.println(name + " failed: " + e);
            e.printStackTrace(err);
            exit = FAILED;
        }
        err.flush();
        return exit;
    }

    private static PrintWriter writer(PrintStream s) {
        return new PrintWriter(new OutputStreamWriter(s, StandardCharsets.UTF_8), true);
    }

    private static PrintStream nowhere() {
        return new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    }
}
