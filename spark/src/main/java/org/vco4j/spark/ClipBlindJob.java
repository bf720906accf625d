package org.vco4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.vco4j.data.mining.ClipBlindSearch;
import org.vco4j.model.ModelLoadException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The main class for {@code spark-submit}: parses the options of {@link SparkClipBlind} and runs it. Bad input (an
 * option, an image, a model folder, also when an executor finds it) is one line on standard error and exit code 2;
 * an internal error exits 1. Without a master from spark-submit it runs in local mode on every core.
 */
@Command(name = "vco4j-spark clip-blind", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"JoMPO's CLIP-blind pairs on Apache Spark: embeds the images with a CLIP and a DINOv2 encoder on the",
                "executors and mines every pair with CLIP cosine above --clip-min and DINOv2 cosine below --dino-max,",
                "exactly as `vco embed` and `vco data clip-blind` do on one machine. Writes OUT/clip.parquet,",
                "OUT/dinov2.parquet, OUT/pairs.parquet, OUT/pairs.jsonl and OUT/summary.json, all at once."})
public final class ClipBlindJob implements Callable<Integer> {
    @Option(names = "--images", required = true, paramLabel = "DIR|LIST",
            description = "An image folder or list file, as for `vco embed`; repeat for more (ids must not collide).")
    List<Path> images;

    @Option(names = "--clip", required = true, paramLabel = "DIR", description = "Hugging Face folder of the CLIP (or SigLIP) image encoder.")
    Path clip;

    @Option(names = "--dino", required = true, paramLabel = "DIR", description = "Hugging Face folder of the DINOv2 encoder.")
    Path dino;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (must not exist or be empty).")
    Path out;

    @Option(names = "--clip-min", defaultValue = "0.95", description = "Keep CLIP cosines above this (default: ${DEFAULT-VALUE}).")
    double clipMin;

    @Option(names = "--dino-max", defaultValue = "0.6", description = "Keep DINOv2 cosines below this (default: ${DEFAULT-VALUE}).")
    double dinoMax;

    @Option(names = "--block-size", defaultValue = "1024", description = "Rows per matrix product and per mining task (default: ${DEFAULT-VALUE}).")
    int blockSize;

    @Option(names = "--top-k", defaultValue = "64", description = "Candidates per row before a row is searched in full; speed only (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--batch-size", defaultValue = "32", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--partitions", defaultValue = "0", description = "Partitions of the embedding and mining stages; 0: Spark's default parallelism (default: ${DEFAULT-VALUE}).")
    int partitions;

    private SparkSession session;
    private PrintStream stdout;

    public static void main(String[] args) {
        System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0"));
        System.exit(run(null, System.out, System.err, args));
    }

    /**
     * Runs the job and returns its exit code.
     *
     * @param session the session to run on; {@code null} creates one (spark-submit's master, else {@code local[*]})
     *                and stops it at the end
     */
    public static int run(SparkSession session, PrintStream out, PrintStream err, String... args) {
        ClipBlindJob job = new ClipBlindJob();
        job.session = session;
        job.stdout = out;
        CommandLine commandLine = new CommandLine(job);
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (System.getenv("VCO_STACKTRACE") != null) throw e;
            Throwable userError = userError(e);
            if (userError != null) {
                cmd.getErr().println("error: " + userError.getMessage());
                return 2;
            }
            cmd.getErr().println("error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + " (an internal error: set VCO_STACKTRACE=1 for the stack trace and report it)");
            return 1;
        });
        return commandLine.execute(args);
    }

    @Override
    public Integer call() throws IOException {
        var settings = new ClipBlindSearch.Settings(clipMin, dinoMax, blockSize, topK);
        var options = new SparkClipBlind.Options(images, clip, dino, out, settings, batchSize, partitions);
        boolean own = session == null;
        SparkSession spark = own ? newSession() : session;
        try {
            SparkClipBlind.Result result = SparkClipBlind.run(spark, options);
            stdout.println("wrote " + SparkClipBlind.line(result) + " to " + out);
            return 0;
        } finally {
            if (own) spark.stop();
        }
    }

    private static SparkSession newSession() {
        SparkSession.Builder builder = SparkSession.builder().appName("vco4j clip-blind");
        SparkConf conf = new SparkConf();
        if (!conf.contains("spark.master")) {
            // Local mode talks to itself only: on loopback, so no network interface's address is tried.
            builder.master("local[*]");
            if (!conf.contains("spark.driver.host")) builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        return builder.getOrCreate();
    }

    /**
     * The bad input behind {@code e}, also when a failed Spark job carries an executor's exception as its cause; null
     * when there is none.
     */
    static Throwable userError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IllegalArgumentException || t instanceof ModelLoadException || t instanceof IOException
                    || t instanceof UncheckedIOException) {
                return t;
            }
        }
        return null;
    }
}
