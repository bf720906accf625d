package org.vco4j.train.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class LinePlotTest {
    private static final Color BLUE = new Color(0x1f77b4);
    private static final Color ORANGE = new Color(0xff7f0e);

    private static boolean isColor(int rgb, Color color) {
        Color c = new Color(rgb);
        return Math.abs(c.getRed() - color.getRed()) < 6 && Math.abs(c.getGreen() - color.getGreen()) < 6
                && Math.abs(c.getBlue() - color.getBlue()) < 6;
    }

    /** Columns of the image (below the title band) that contain {@code color}. */
    private static boolean[] columnsWith(BufferedImage image, Color color, int fromRow) {
        boolean[] out = new boolean[image.getWidth()];
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = fromRow; y < image.getHeight(); y++) if (isColor(image.getRGB(x, y), color)) out[x] = true;
        }
        return out;
    }

    private static double[] range(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = i;
        return x;
    }

    @Test
    void sameInputGivesTheSamePngAndFileIsWritten(@TempDir Path dir) throws Exception {
        double[] y = {0.9, 0.7, 0.65, 0.5, 0.45, 0.4};
        byte[] first = new LinePlot("Loss").series("loss", range(6), y).series("loss/attend", range(6), y.clone()).png();
        byte[] second = new LinePlot("Loss").series("loss", range(6), y).series("loss/attend", range(6), y.clone()).png();
        assertArrayEquals(first, second);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(first));
        assertEquals(960, image.getWidth());
        assertEquals(520, image.getHeight());
        Path file = dir.resolve("plots").resolve("loss.png");
        new LinePlot("Loss").size(400, 300).series("loss", range(6), y).write(file);
        assertEquals(400, ImageIO.read(file.toFile()).getWidth());
        try (var listing = Files.list(file.getParent())) {
            assertEquals(1, listing.count(), "no temporary file left behind");
        }
    }

    @Test
    void nanLeavesAGapAndTheLineIsDrawnElsewhere() {
        int n = 21;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) y[i] = i >= 9 && i <= 11 ? Double.NaN : 1.0;
        BufferedImage image = new LinePlot("gap").series("s", range(n), y).render();
        boolean[] blue = columnsWith(image, BLUE, 80);
        int firstBlue = -1;
        int lastBlue = -1;
        for (int x = 0; x < blue.length; x++) {
            if (blue[x]) {
                if (firstBlue < 0) firstBlue = x;
                lastBlue = x;
            }
        }
        assertTrue(firstBlue > 0 && lastBlue - firstBlue > 500, "the line spans the plot: " + firstBlue + ".." + lastBlue);
        int middle = (firstBlue + lastBlue) / 2;
        for (int x = middle - 20; x <= middle + 20; x++) assertFalse(blue[x], "gap at column " + x);
    }

    @Test
    void singlePointsAndEmptyChartsRender() {
        BufferedImage single = new LinePlot("one").series("s", new double[] {5}, new double[] {0.3}).render();
        int bluePixels = 0;
        for (int x = 0; x < single.getWidth(); x++) {
            for (int y = 0; y < single.getHeight(); y++) if (isColor(single.getRGB(x, y), BLUE)) bluePixels++;
        }
        assertTrue(bluePixels >= 9, "a dot is drawn: " + bluePixels);
        assertDoesNotThrow(() -> new LinePlot("nothing").render());
        assertDoesNotThrow(() -> new LinePlot("all NaN").series("s", range(3), new double[] {Double.NaN, Double.NaN, Double.NaN}).render());
        assertThrows(IllegalArgumentException.class, () -> new LinePlot("x").series("s", range(2), new double[1]));
    }

    @Test
    void eachSeriesHasItsColourAndTheLegendNamesThem() {
        double[] x = range(30);
        double[] up = new double[30];
        double[] down = new double[30];
        for (int i = 0; i < 30; i++) {
            up[i] = i;
            down[i] = 30 - i;
        }
        BufferedImage image = new LinePlot("two").series("up", x, up).series("down", x, down).smoothing(0.5).render();
        boolean[] blue = columnsWith(image, BLUE, 60);
        boolean[] orange = columnsWith(image, ORANGE, 60);
        int both = 0;
        for (int i = 0; i < blue.length; i++) if (blue[i] && orange[i]) both++;
        assertTrue(both > 400, "both series across the plot: " + both);
    }

    @Test
    void smoothingIsTensorBoards() {
        double[] s = LinePlot.smooth(new double[] {1, 3, Double.NaN, 5}, 0.5);
        assertEquals(1.0, s[0], 1e-12);
        // (0.25·1 + 0.5·3 ... ) debiased: last = 0.5·0.5 + 0.5·3 = 1.75, / (1 − 0.25) = 7/3
        assertEquals(7.0 / 3, s[1], 1e-12);
        assertTrue(Double.isNaN(s[2]));
        // last = 0.5·1.75 + 0.5·5 = 3.375, / (1 − 0.125) = 27/7
        assertEquals(27.0 / 7, s[3], 1e-12);
        assertArrayEquals(new double[] {1, 2}, LinePlot.smooth(new double[] {1, 2}, 0), 0);
        assertThrows(IllegalArgumentException.class, () -> new LinePlot("x").smoothing(1.0));
    }

    @Test
    void ticksAreNiceAndLabelsShort() {
        LinePlot.Axis axis = LinePlot.Axis.padded(0, 2e-5, 5, true);
        assertArrayEquals(new String[] {"0", "5e\u22126", "1e\u22125", "1.5e\u22125", "2e\u22125"}, axis.labels);
        assertArrayEquals(new String[] {"0", "0.2", "0.4"}, TickLabels.format(new double[] {0, 0.2, 0.30000000000000004 + 0.1}));
        assertArrayEquals(new String[] {"-50", "0", "50"}, TickLabels.format(new double[] {-50, 0, 50}));
        assertArrayEquals(new String[] {"1e5", "2e5"}, TickLabels.format(new double[] {1e5, 2e5}));
        LinePlot.Axis steps = LinePlot.Axis.of(1, 3, 8, true);
        for (double t : steps.ticks) assertEquals(Math.rint(t), t, 0, "integer ticks on a step axis");
        assertEquals(0.2, LinePlot.Axis.niceStep(0.13), 1e-15);
        assertEquals(50, LinePlot.Axis.niceStep(31), 1e-12);
        assertEquals("0.6931", TickLabels.number(0.693147));
        assertEquals("2e-5", TickLabels.number(2e-5));
        assertEquals("1.235e5", TickLabels.number(123456));
        assertEquals("NaN", TickLabels.number(Double.NaN));
    }
}
