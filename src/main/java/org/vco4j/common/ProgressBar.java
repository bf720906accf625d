package org.vco4j.common;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of long work on standard error, e.g.
 * {@code train [########------------]  120/1000  loss 0.6931  3.2 samples/s  ETA 4:35}.
 * On a terminal the line is redrawn in place; when the output is a file or a CI log a plain line is
 * printed at most every {@code interval}, plus the last one, so logs stay short.
 *
 * <p>Rate and ETA count the work done since the bar was created, or since {@link #start} for a resumed run,
 * so steps skipped on resumption do not count as instant. The loss is optional (NaN leaves it out), so the
 * bar serves any counted work, not only training.
 */
public final class ProgressBar {
    private static final int BAR_WIDTH = 24;
    // Faster redraws than this only cost time: nobody reads ten lines a second.
    private static final long TERMINAL_REDRAW_NANOS = 100_000_000L;

    private final String label;
    private final long total;
    private final String unit;
    private final PrintStream out;
    private final boolean terminal;
    private final long intervalNanos;
    private final LongSupplier clock;
    private long startNanos;
    private long startDone;
    private long startUnits;
    private long lastPrintNanos;
    private int lastWidth;
    private boolean finished;
    private long done;
    private long units;
    private String note = "";

    /**
     * A bar on standard error, redrawn in place when there is a console, else a line every 10 seconds.
     *
     * @param total the count that completes the work (e.g. optimizer steps)
     * @param unit what the rate counts (e.g. "samples"); the rate is per second of this
     */
    public ProgressBar(String label, long total, String unit) {
        this(label, total, unit, System.err, System.console() != null, 10_000_000_000L, System::nanoTime);
    }

    ProgressBar(String label, long total, String unit, PrintStream out, boolean terminal, long intervalNanos, LongSupplier clock) {
        if (total < 0) throw new IllegalArgumentException("total must be >= 0: " + total);
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.out = out;
        this.terminal = terminal;
        this.intervalNanos = intervalNanos;
        this.clock = clock;
        this.startNanos = clock.getAsLong();
        this.lastPrintNanos = startNanos;
    }

    /** Restarts the clock at {@code done} and {@code units} (cumulative), e.g. where a resumed run picks up. */
    public void start(long done, long units) {
        startNanos = clock.getAsLong();
        lastPrintNanos = startNanos;
        startDone = done;
        startUnits = units;
        if (terminal) print(line(done, units, Double.NaN, startNanos, false));
    }

    /** Reports progress without a loss; {@code units} is the same count as {@code done}. */
    public void update(long done) {
        update(done, done, Double.NaN);
    }

    /**
     * Reports that {@code done} of the total are complete, {@code units} rate units processed in all (both
     * cumulative), and the latest loss (NaN for none).
     */
    public void update(long done, long units, double loss) {
        if (finished) return;
        this.done = done;
        this.units = units;
        long now = clock.getAsLong();
        if (now - lastPrintNanos >= (terminal ? TERMINAL_REDRAW_NANOS : intervalNanos)) {
            lastPrintNanos = now;
            print(line(done, units, loss, now, false));
        }
    }

    /** Counts {@code amount} more of the work done (units = done), for work reported piece by piece. */
    public void advance(long amount) {
        update(done + amount, units + amount, Double.NaN);
    }

    /**
     * Text shown after the count from the next line on, e.g. {@code 42 pairs found}: a running result of the work
     * that the count and the rate do not tell.
     */
    public void note(String text) {
        note = text == null ? "" : text;
    }

    /** How much of the work is done. */
    public long done() {
        return done;
    }

    /** Prints the final line for the work counted so far. */
    public void finish() {
        finish(done, units, Double.NaN);
    }

    /** Prints the final line (always, also to a log) and ends the redrawn line on a terminal. */
    public void finish(long done, long units, double loss) {
        if (finished) return;
        this.done = done;
        this.units = units;
        print(line(done, units, loss, clock.getAsLong(), true));
        if (terminal) out.print('\n');
        out.flush();
        finished = true;
    }

    String line(long done, long units, double loss, long now, boolean last) {
        double seconds = (now - startNanos) / 1e9;
        double rate = seconds > 0 ? (units - startUnits) / seconds : 0;
        double stepsPerSecond = seconds > 0 ? (done - startDone) / seconds : 0;
        int filled = total == 0 ? BAR_WIDTH : (int) Math.min(BAR_WIDTH, BAR_WIDTH * Math.max(0, done) / total);
        StringBuilder text = new StringBuilder();
        text.append(label).append(" [").append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append("] ");
        String width = Long.toString(total);
        text.append(String.format(Locale.ROOT, "%" + width.length() + "d/%s", done, width));
        if (!Double.isNaN(loss)) text.append(String.format(Locale.ROOT, "  loss %.4f", loss));
        if (!note.isEmpty()) text.append("  ").append(note);
        text.append(String.format(Locale.ROOT, "  %s %s/s", rate(rate), unit));
        if (last) {
            text.append("  done in ").append(clock(seconds));
        } else if (stepsPerSecond > 0 && done < total) {
            text.append("  ETA ").append(clock((total - done) / stepsPerSecond));
        } else {
            text.append("  ETA --:--");
        }
        return text.toString();
    }

    private void print(String text) {
        if (terminal) {
            // Pad over the remains of a longer previous line.
            out.print('\r' + text + " ".repeat(Math.max(0, lastWidth - text.length())));
            lastWidth = text.length();
        } else {
            out.println(text);
        }
        out.flush();
    }

    private static String rate(double rate) {
        return rate >= 100 ? String.format(Locale.ROOT, "%.0f", rate)
                : rate >= 10 ? String.format(Locale.ROOT, "%.1f", rate) : String.format(Locale.ROOT, "%.2f", rate);
    }

    /** {@code m:ss} or {@code h:mm:ss}. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
