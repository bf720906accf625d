package org.vco4j.cli;

import org.vco4j.model.ModelLoadException;
import org.vco4j.train.TrainingFailedException;
import org.vco4j.train.TrainingStoppedException;
import org.vco4j.train.distributed.DistributedException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The {@code vco} command line. */
@Command(name = "vco", mixinStandardHelpOptions = true, version = "vco4j 0.1.0",
        description = "Visual-contrastive preference optimization for vision-language models.",
        subcommands = {ModelCommand.class, ScoreCommand.class, GenerateCommand.class, ObjectivesCommand.class, TrainCommand.class, BenchCommand.class,
                ExportCommand.class, EmbedCommand.class, EvalCommand.class, WorldCommand.class, DataCommand.class, DemoCommand.class, ServeCommand.class})
public final class VcoCommand extends CommandGroup {
    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of an error (also: environment variable VCO_STACKTRACE=1).")
    boolean debug;

    public static void main(String[] args) {
        // Every native tensor is freed by a pointer scope, so JavaCPP's garbage-collector bookkeeping and its
        // physical-memory check on each allocation are pure overhead (set before any Pointer class loads).
        System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0"));
        try {
            org.vco4j.tensor.NativeThreads.configure();
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
        System.exit(run(args));
    }

    /**
     * Runs the command line and returns its exit code (tests call this instead of {@link #main}). Every error
     * is one line on standard error: bad input the user can fix exits 2, anything else (a bug) exits 1; the
     * stack trace only with {@code --debug}.
     */
    public static int run(String... args) {
        VcoCommand root = new VcoCommand();
        CommandLine commandLine = new CommandLine(root);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof TrainingStoppedException stopped) { // SIGTERM/SIGINT: one line, 128 + the signal
                cmd.getErr().println(stopped.getMessage());
                return stopped.exitStatus();
            }
            if (root.debug || System.getenv("VCO_STACKTRACE") != null) throw e;
            if (isUserError(e)) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            cmd.getErr().println("error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + " (an internal error: run again with --debug for the stack trace and report it)");
            return 1;
        });
        return commandLine.execute(args);
    }

    /** Bad input the user can fix: said in one line, no stack trace. */
    private static boolean isUserError(Exception e) {
        return e instanceof IllegalArgumentException || e instanceof ModelLoadException || e instanceof TrainingFailedException
                || e instanceof DistributedException || e instanceof IOException || e instanceof UncheckedIOException
                || e instanceof ArithmeticException;
    }
}
