package org.vco4j.train.report;

import org.vco4j.common.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A line chart rendered with Java2D into a PNG: title, axes with tick labels, grid, several named series
 * with a legend, and optionally TensorBoard's smoothing (debiased exponential moving average) drawn over
 * faint raw lines. Non-finite values leave gaps; isolated points and short series are drawn as dots.
 *
 * <p>The same inputs give the same bytes on the same machine (no timestamps; text depends on the fonts
 * installed).
 */
public final class LinePlot {
    // Matplotlib's default cycle ("tab10"): distinguishable, and familiar from every ML paper.
    private static final Color[] PALETTE = {
            new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
            new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};
    private static final Color TEXT = new Color(0x222222);
    private static final Color MUTED = new Color(0x666666);
    private static final Color GRID = new Color(0xe6e6e6);
    private static final Color AXIS = new Color(0x999999);
    private static final int MARKER_LIMIT = 25;
    static final int MIN_POINTS_TO_SMOOTH = 10;

    private record Series(String name, double[] x, double[] y) {}

    private final String title;
    private final List<Series> series = new ArrayList<>();
    private String xLabel = "step";
    private String yLabel = "";
    private double smoothing;
    private double yMin = Double.NaN;
    private double yMax = Double.NaN;
    private int width = 960;
    private int height = 520;

    public LinePlot(String title) {
        this.title = title;
    }

    public LinePlot xLabel(String label) {
        this.xLabel = label;
        return this;
    }

    public LinePlot yLabel(String label) {
        this.yLabel = label;
        return this;
    }

    /** The y axis shows at least {@code [min, max]} (it still widens to show every value). */
    public LinePlot yRange(double min, double max) {
        if (!(min < max)) throw new IllegalArgumentException("y range must have min < max: " + min + ", " + max);
        this.yMin = min;
        this.yMax = max;
        return this;
    }

    /**
     * Draws each series smoothed with weight {@code weight} in [0, 1) over its faint raw line, as
     * TensorBoard's smoothing slider does; 0 turns it off. Series shorter than 10 points are not smoothed.
     */
    public LinePlot smoothing(double weight) {
        if (!(weight >= 0 && weight < 1)) throw new IllegalArgumentException("smoothing must be in [0, 1): " + weight);
        this.smoothing = weight;
        return this;
    }

    /** Image size in pixels. */
    public LinePlot size(int width, int height) {
        if (width < 200 || height < 150) throw new IllegalArgumentException("plot too small: " + width + "x" + height);
        this.width = width;
        this.height = height;
        return this;
    }

    /** Adds a series; {@code x} and {@code y} are copied and must have the same length. */
    public LinePlot series(String name, double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("series " + name + ": " + x.length + " x values but " + y.length + " y values");
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    /**
     * TensorBoard's smoothing: an exponential moving average divided by {@code 1 - weight^n} so the start is not
     * pulled towards 0. Non-finite values stay as they are and do not enter the average.
     */
    static double[] smooth(double[] values, double weight) {
        double[] out = new double[values.length];
        double last = 0;
        int count = 0;
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                out[i] = values[i];
                continue;
            }
            last = last * weight + (1 - weight) * values[i];
            count++;
            out[i] = weight == 0 ? values[i] : last / (1 - Math.pow(weight, count));
        }
        return out;
    }

    /** The chart as PNG bytes. */
    public byte[] png() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(render(), "png", out)) throw new IllegalStateException("no PNG writer in this JVM");
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** Writes the chart to {@code file} as PNG, replacing it atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, png());
    }

    /** Renders the chart. */
    public BufferedImage render() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    private void draw(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 17);
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        Font noteFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

        List<double[]> smoothed = new ArrayList<>();
        for (Series s : series) smoothed.add(smoothed(s) ? smooth(s.y, smoothing) : null);

        double[] xRange = range(true);
        double[] yRange = range(false);
        if (!Double.isNaN(yMin)) {
            yRange[0] = Math.min(yRange[0], yMin);
            yRange[1] = Math.max(yRange[1], yMax);
        }
        boolean empty = Double.isNaN(xRange[0]);
        Axis xAxis = empty ? Axis.of(0, 1, 6, true) : Axis.of(xRange[0], xRange[1], Math.max(3, width / 110), integral());
        Axis yAxis = empty ? Axis.of(0, 1, 5, false) : Axis.padded(yRange[0], yRange[1], Math.max(3, height / 80),
                !Double.isNaN(yMin) && yRange[0] == yMin && yRange[1] == yMax);

        // Layout: margins follow from the widest tick label and the legend.
        g.setFont(tickFont);
        FontMetrics tickMetrics = g.getFontMetrics();
        int tickLabelWidth = 0;
        for (String label : yAxis.labels) tickLabelWidth = Math.max(tickLabelWidth, tickMetrics.stringWidth(label));
        g.setFont(labelFont);
        FontMetrics labelMetrics = g.getFontMetrics();
        List<String> legend = new ArrayList<>();
        int legendWidth = 0;
        for (Series s : series) {
            String name = ellipsize(s.name, labelMetrics, width / 3);
            legend.add(name);
            legendWidth = Math.max(legendWidth, labelMetrics.stringWidth(name));
        }
        // A single series is named by the title; a legend would only take room from the data.
        int legendColumn = series.size() > 1 ? legendWidth + 48 : 0;

        int left = 18 + (yLabel.isEmpty() ? 0 : labelMetrics.getHeight() + 6) + tickLabelWidth + 10;
        int top = 54;
        int right = width - 20 - legendColumn;
        int bottom = height - 18 - (xLabel.isEmpty() ? 0 : labelMetrics.getHeight() + 4) - tickMetrics.getHeight() - 8;
        int plotWidth = right - left;
        int plotHeight = bottom - top;

        // Title, and how to read the lines when smoothed.
        g.setFont(titleFont);
        g.setColor(TEXT);
        g.drawString(title, left, 32);
        List<String> notes = new ArrayList<>();
        if (smoothed.stream().anyMatch(a -> a != null)) {
            notes.add(String.format(java.util.Locale.ROOT, "smoothed (EMA %.2f), faint: raw", smoothing));
        }
        boolean anyNonFinite = series.stream().anyMatch(LinePlot::hasNonFinite);
        if (anyNonFinite) notes.add("\u25BC NaN or infinite");
        if (!notes.isEmpty()) {
            g.setFont(noteFont);
            g.setColor(MUTED);
            String note = String.join("   ", notes);
            g.drawString(note, right - g.getFontMetrics().stringWidth(note), 32);
        }

        // Grid, ticks and labels.
        g.setFont(tickFont);
        g.setStroke(new BasicStroke(1f));
        for (int i = 0; i < yAxis.ticks.length; i++) {
            double py = bottom - yAxis.fraction(yAxis.ticks[i]) * plotHeight;
            g.setColor(GRID);
            g.draw(new Line2D.Double(left, py, right, py));
            g.setColor(MUTED);
            String label = yAxis.labels[i];
            g.drawString(label, left - 8 - tickMetrics.stringWidth(label), (float) (py + tickMetrics.getAscent() / 2.0 - 1));
        }
        for (int i = 0; i < xAxis.ticks.length; i++) {
            double px = left + xAxis.fraction(xAxis.ticks[i]) * plotWidth;
            g.setColor(GRID);
            g.draw(new Line2D.Double(px, top, px, bottom));
            g.setColor(AXIS);
            g.draw(new Line2D.Double(px, bottom, px, bottom + 4));
            g.setColor(MUTED);
            String label = xAxis.labels[i];
            g.drawString(label, (float) (px - tickMetrics.stringWidth(label) / 2.0), bottom + 6 + tickMetrics.getAscent());
        }
        g.setColor(AXIS);
        g.draw(new Line2D.Double(left, bottom, right, bottom));
        g.draw(new Line2D.Double(left, top, left, bottom));

        g.setFont(labelFont);
        g.setColor(TEXT);
        if (!xLabel.isEmpty()) {
            g.drawString(xLabel, (float) (left + (plotWidth - labelMetrics.stringWidth(xLabel)) / 2.0), height - 16);
        }
        if (!yLabel.isEmpty()) {
            AffineTransform saved = g.getTransform();
            g.translate(18 + labelMetrics.getAscent(), top + (plotHeight + labelMetrics.stringWidth(yLabel)) / 2.0);
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel, 0, 0);
            g.setTransform(saved);
        }

        if (empty) {
            g.setColor(MUTED);
            String text = "no data";
            g.drawString(text, left + (plotWidth - labelMetrics.stringWidth(text)) / 2f, top + plotHeight / 2f);
        }

        // Series, clipped to the plot area; raw lines first so the smoothed ones sit on top.
        g.setClip(left - 4, top - 4, plotWidth + 8, plotHeight + 8);
        Projection at = (x, y) -> new double[] {left + xAxis.fraction(x) * plotWidth, bottom - yAxis.fraction(y) * plotHeight};
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            Color color = PALETTE[i % PALETTE.length];
            if (smoothed.get(i) != null) {
                drawLine(g, s.x, s.y, at, fade(color), 1.2f, false);
            }
        }
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            Color color = PALETTE[i % PALETTE.length];
            double[] y = smoothed.get(i) != null ? smoothed.get(i) : s.y;
            drawLine(g, s.x, y, at, color, 2f, finiteCount(s) <= MARKER_LIMIT);
        }
        // A diverging run is exactly what the chart must not hide: mark non-finite values above the plot.
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            g.setColor(PALETTE[i % PALETTE.length]);
            for (int k = 0; k < s.x.length; k++) {
                if (!Double.isFinite(s.x[k]) || Double.isFinite(s.y[k])) continue;
                double px = left + xAxis.fraction(s.x[k]) * plotWidth;
                Path2D.Double marker = new Path2D.Double();
                marker.moveTo(px - 4, top);
                marker.lineTo(px + 4, top);
                marker.lineTo(px, top + 7);
                marker.closePath();
                g.fill(marker);
            }
        }
        g.setClip(null);

        // Legend, right of the plot, one row per series.
        if (legendColumn > 0) {
            g.setFont(labelFont);
            int rowHeight = labelMetrics.getHeight() + 6;
            int x = right + 20;
            for (int i = 0; i < legend.size(); i++) {
                int y = top + 6 + i * rowHeight;
                if (y + rowHeight > bottom) {
                    g.setColor(MUTED);
                    g.drawString("+" + (legend.size() - i) + " more", x, y + labelMetrics.getAscent());
                    break;
                }
                Color color = PALETTE[i % PALETTE.length];
                g.setColor(color);
                g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                double mid = y + labelMetrics.getAscent() / 2.0 + 1;
                g.draw(new Line2D.Double(x, mid, x + 18, mid));
                g.setColor(TEXT);
                g.drawString(legend.get(i), x + 26, y + labelMetrics.getAscent());
            }
        }
    }

    private interface Projection {
        double[] at(double x, double y);
    }

    /** Draws connected runs of finite points; a run of one point, or every point if {@code markers}, as a dot. */
    private static void drawLine(Graphics2D g, double[] xs, double[] ys, Projection projection, Color color, float width, boolean markers) {
        g.setColor(color);
        g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D.Double path = null;
        int runLength = 0;
        double[] runStart = null;
        for (int i = 0; i <= xs.length; i++) {
            boolean finite = i < xs.length && Double.isFinite(xs[i]) && Double.isFinite(ys[i]);
            if (!finite) {
                if (runLength == 1 && !markers) dot(g, runStart, width + 1.5);
                else if (runLength > 1) g.draw(path);
                path = null;
                runLength = 0;
                continue;
            }
            double[] p = projection.at(xs[i], ys[i]);
            if (path == null) {
                path = new Path2D.Double();
                path.moveTo(p[0], p[1]);
                runStart = p;
            } else {
                path.lineTo(p[0], p[1]);
            }
            runLength++;
        }
        if (markers) {
            for (int i = 0; i < xs.length; i++) {
                if (Double.isFinite(xs[i]) && Double.isFinite(ys[i])) dot(g, projection.at(xs[i], ys[i]), width + 1.5);
            }
        }
    }

    private static void dot(Graphics2D g, double[] p, double radius) {
        g.fill(new Ellipse2D.Double(p[0] - radius, p[1] - radius, 2 * radius, 2 * radius));
    }

    private static Color fade(Color color) {
        return new Color(color.getRed(), color.getGreen(), color.getBlue(), 70);
    }

    private boolean smoothed(Series s) {
        return smoothing > 0 && finiteCount(s) >= MIN_POINTS_TO_SMOOTH;
    }

    private static boolean hasNonFinite(Series s) {
        for (int i = 0; i < s.x.length; i++) if (Double.isFinite(s.x[i]) && !Double.isFinite(s.y[i])) return true;
        return false;
    }

    private static int finiteCount(Series s) {
        int n = 0;
        for (int i = 0; i < s.x.length; i++) if (Double.isFinite(s.x[i]) && Double.isFinite(s.y[i])) n++;
        return n;
    }

    /** Min and max of the finite x (or y) values of points that can be drawn; NaN when there are none. */
    private double[] range(boolean ofX) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (!Double.isFinite(s.x[i]) || !Double.isFinite(s.y[i])) continue;
                double v = ofX ? s.x[i] : s.y[i];
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return min > max ? new double[] {Double.NaN, Double.NaN} : new double[] {min, max};
    }

    private boolean integral() {
        for (Series s : series) for (double x : s.x) if (Double.isFinite(x) && x != Math.rint(x)) return false;
        return true;
    }

    private static String ellipsize(String text, FontMetrics metrics, int maxWidth) {
        if (metrics.stringWidth(text) <= maxWidth) return text;
        String out = text;
        while (out.length() > 1 && metrics.stringWidth(out + "…") > maxWidth) out = out.substring(0, out.length() - 1);
        return out + "…";
    }

    /** An axis: its visible range and "nice" ticks (1, 2 or 5 times a power of ten) with their labels. */
    static final class Axis {
        final double low;
        final double high;
        final double[] ticks;
        final String[] labels;

        private Axis(double low, double high, double[] ticks) {
            this.low = low;
            this.high = high;
            this.ticks = ticks;
            this.labels = TickLabels.format(ticks);
            // A real minus sign, as typeset charts have, rather than a hyphen.
            for (int i = 0; i < labels.length; i++) labels[i] = labels[i].replace('-', '\u2212');
        }

        double fraction(double value) {
            return (value - low) / (high - low);
        }

        /** A position axis over [min, max] with 2% margins (widened when they are equal). */
        static Axis of(double min, double max, int targetTicks, boolean integral) {
            if (min == max) {
                double pad = integral ? 1 : Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
                min -= pad;
                max += pad;
            } else {
                double pad = (max - min) * 0.02;
                min -= pad;
                max += pad;
            }
            double step = niceStep((max - min) / targetTicks);
            if (integral) step = Math.max(step, 1);
            return new Axis(min, max, ticks(min, max, step));
        }

        /** A value axis with 5% headroom on both sides, or exactly [min, max] when {@code exact}. */
        static Axis padded(double min, double max, int targetTicks, boolean exact) {
            if (min == max) {
                double pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
                min -= pad;
                max += pad;
            } else if (!exact) {
                double pad = (max - min) * 0.05;
                min -= pad;
                max += pad;
            }
            return new Axis(min, max, ticks(min, max, niceStep((max - min) / targetTicks)));
        }

        static double niceStep(double raw) {
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double residual = raw / magnitude;
            double nice = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10;
            return nice * magnitude;
        }

        private static double[] ticks(double low, double high, double step) {
            long first = (long) Math.ceil(low / step - 1e-9);
            long last = (long) Math.floor(high / step + 1e-9);
            double[] ticks = new double[(int) Math.max(0, last - first + 1)];
            for (int i = 0; i < ticks.length; i++) ticks[i] = (first + i) * step;
            return ticks;
        }
    }
}
