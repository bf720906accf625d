package org.vco4j.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of long work on standard error: a bar with rate and ETA redrawn in place on a terminal, plain
 * lines (at most one every few seconds) when the output is a file or a CI log.
 */
final class Progress {
    private final String label;
    private final long total;
    private final long started = System.nanoTime();
    private final boolean terminal = System.console() != null;
    private final PrintStream err = System.err;
    private long done;
    private long lastPrinted;

    Progress(String label, long total) {
        this.label = label;
        this.total = total;
    }

    void advance(long amount) {
        done += amount;
        long now = System.nanoTime();
        if (done < total && (terminal || now - lastPrinted > 5_000_000_000L)) {
            lastPrinted = now;
            print(false);
        }
    }

    long done() {
        return done;
    }

    void finish() {
        print(true);
    }

    private void print(boolean last) {
        double seconds = (System.nanoTime() - started) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        double eta = rate > 0 ? (total - done) / rate : 0;
        int width = 30;
        int filled = total == 0 ? width : (int) (width * done / total);
        String text = String.format(Locale.ROOT, "%s [%s%s] %d/%d  %.1f/s  %s", label, "#".repeat(filled),
                " ".repeat(width - filled), done, total, rate, last ? "done in " + clock(seconds) : "ETA " + clock(eta));
        if (terminal) {
            err.print("\r" + text + (last ? "\n" : ""));
        } else {
            err.println(text);
        }
        err.flush();
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
