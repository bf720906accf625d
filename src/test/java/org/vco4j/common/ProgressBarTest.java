package org.vco4j.common;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class ProgressBarTest {
    private static final long SECOND = 1_000_000_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong now = new AtomicLong(1000 * SECOND);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void logsAPlainLineAtMostEveryInterval() {
        ProgressBar bar = new ProgressBar("train", 100, "samples", out, false, 10 * SECOND, now::get);
        for (int step = 1; step <= 30; step++) {
            now.addAndGet(SECOND);
            bar.update(step, step * 4L, 0.5);
        }
        String[] lines = output().split("\n");
        assertEquals(3, lines.length, output());
        assertEquals("train [##----------------------]  10/100  loss 0.5000  4.00 samples/s  ETA 1:30", lines[0]);
        assertFalse(output().contains("\r"));
        bar.finish(30, 120, 0.25);
        String last = output().split("\n")[3];
        assertEquals("train [#######-----------------]  30/100  loss 0.2500  4.00 samples/s  done in 0:30", last);
        bar.update(31, 124, 0.2);
        assertEquals(4, output().split("\n").length, "nothing after finish");
    }

    @Test
    void redrawsInPlaceOnATerminal() {
        ProgressBar bar = new ProgressBar("eval", 3, "items", out, true, 10 * SECOND, now::get);
        now.addAndGet(SECOND);
        bar.update(1);
        now.addAndGet(SECOND);
        bar.update(2);
        bar.update(2);
        bar.finish(3, 3, Double.NaN);
        String text = output();
        assertEquals(3, text.chars().filter(c -> c == '\r').count(), "one redraw per update at most every 100 ms: " + text);
        assertTrue(text.endsWith("done in 0:02\n"), text);
        assertFalse(text.contains("loss"), "no loss given, none shown");
        assertTrue(text.contains("\reval [################--------] 2/3  1.00 items/s  ETA 0:01"), text);
    }

    @Test
    void aResumedRunTimesOnlyItsOwnWork() {
        ProgressBar bar = new ProgressBar("train", 1000, "samples", out, false, 0, now::get);
        now.addAndGet(60 * SECOND); // loading the checkpoint
        bar.start(500, 8000);
        now.addAndGet(10 * SECOND);
        bar.update(510, 8160, 0.1);
        assertEquals("train [############------------]  510/1000  loss 0.1000  16.0 samples/s  ETA 8:10",
                output().trim());
        assertEquals("1:01:01", ProgressBar.clock(3661));
    }

    @Test
    void aNoteFollowsTheCount() {
        ProgressBar bar = new ProgressBar("clip-blind", 4, "rows", out, false, 0, now::get);
        bar.note("7 pairs found");
        now.addAndGet(SECOND);
        bar.update(2, 200, Double.NaN);
        assertEquals("clip-blind [############------------] 2/4  7 pairs found  200 rows/s  ETA 0:01", output().trim());
    }
}
