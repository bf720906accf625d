package org.vco4j.cli;

import org.vco4j.model.ModelLoadException;
import org.vco4j.train.TrainingStoppedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The {@code vco} command line. */
@Command(name = "vco", mixinStandardHelpOptions = true, version = "vco4j 0.1.0",
        description = "Visual-contrastive preference optimization for vision-language models.",
        subcommands = {ModelCommand.class, ScoreCommand.class, GenerateCommand.class, ObjectivesCommand.class, TrainCommand.class, BenchCommand.class,
                ExportCommand.class, EvalCommand.class, WorldCommand.class, DataCommand.class, DemoCommand.class})
public final class VcoCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        // Every native tensor is freed by a pointer scope, so JavaCPP's garbage-collector bookkeeping and its
        // physical-memory check on each allocation are pure overhead (set before any Pointer class loads).
        System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0"));
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new VcoCommand());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof TrainingStoppedException stopped) { // SIGTERM/SIGINT: one line, 128 + the signal
                cmd.getErr().println(stopped.getMessage());
                return stopped.exitStatus();
            }
            if (isUserError(e) && System.getenv("VCO_STACKTRACE") == null) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return commandLine.execute(args);
    }

    /** Bad input the user can fix: said in one line, no stack trace (set VCO_STACKTRACE=1 to see one). */
    private static boolean isUserError(Exception e) {
        return e instanceof IllegalArgumentException || e instanceof ModelLoadException
                || e instanceof IOException || e instanceof UncheckedIOException || e instanceof ArithmeticException;
    }
}
