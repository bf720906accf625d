package org.vco4j.data.world;

import org.vco4j.model.image.RgbImage;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

/**
 * Draws scenes with Java2D: anti-aliased filled shapes on a plain light background. Every shape is symmetric
 * about its vertical axis, so a horizontally mirrored image shows the same shapes at mirrored places.
 */
public final class SceneRenderer {
    /** The background, light enough that every object colour stands out. */
    public static final Color BACKGROUND = new Color(242, 242, 236);
    /** The RGB value each colour word is drawn with. */
    public static final Map<String, Color> COLORS = Map.of(
            "red", new Color(220, 38, 38),
            "green", new Color(34, 160, 60),
            "blue", new Color(37, 84, 222),
            "yellow", new Color(232, 196, 20),
            "purple", new Color(140, 58, 184),
            "orange", new Color(246, 128, 16));

    private SceneRenderer() {}

    /** The image of these objects on a {@code side × side} canvas. */
    public static RgbImage render(List<SceneObject> objects, int side) {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, side, side);
        for (SceneObject o : objects) {
            g.setColor(COLORS.get(o.color()));
            g.fill(outline(o.shape(), o.x() + 0.5, o.y() + 0.5, Layout.halfExtent(o.size(), side)));
        }
        g.dispose();
        return RgbImage.of(image);
    }

    /** The outline of a shape centred at (cx, cy) inside the box of half-width r. */
    static Shape outline(String shape, double cx, double cy, double r) {
        return switch (shape) {
            case "circle" -> new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r);
            // Slightly smaller than the box, so a square does not look larger than a circle of the same size.
            case "square" -> new Rectangle2D.Double(cx - 0.85 * r, cy - 0.85 * r, 1.7 * r, 1.7 * r);
            case "triangle" -> polygon(new double[] {cx, cx + r, cx - r}, new double[] {cy - r, cy + 0.8 * r, cy + 0.8 * r});
            case "star" -> star(cx, cy, r);
            case "heart" -> heart(cx, cy, r);
            case "cross" -> cross(cx, cy, r);
            default -> throw new IllegalArgumentException("no outline for shape '" + shape + "'");
        };
    }

    private static Shape star(double cx, double cy, double r) {
        double[] xs = new double[10];
        double[] ys = new double[10];
        // A five-pointed star with one point up; the inner radius of a regular star is 0.382 of the outer.
        for (int i = 0; i < 10; i++) {
            double radius = i % 2 == 0 ? r : 0.382 * r;
            double angle = -Math.PI / 2 + i * Math.PI / 5;
            xs[i] = cx + radius * Math.cos(angle);
            // The points reach 0.81 r below the centre; shift down so the star sits in the middle of its box.
            ys[i] = cy + 0.095 * r + radius * Math.sin(angle);
        }
        return polygon(xs, ys);
    }

    private static Shape heart(double cx, double cy, double r) {
        // The classic heart curve x = 16 sin³t, y = 13 cos t − 5 cos 2t − 2 cos 3t − cos 4t spans x ∈ [−16, 16],
        // y ∈ [−17, 12]: scaled so its larger extent fills the box and centred vertically.
        int n = 96;
        double[] xs = new double[n];
        double[] ys = new double[n];
        double scale = r / 16.0;
        for (int i = 0; i < n; i++) {
            double t = 2 * Math.PI * i / n;
            double x = 16 * Math.pow(Math.sin(t), 3);
            double y = 13 * Math.cos(t) - 5 * Math.cos(2 * t) - 2 * Math.cos(3 * t) - Math.cos(4 * t);
            xs[i] = cx + scale * x;
            ys[i] = cy - scale * (y + 2.5) * 0.9;
        }
        return polygon(xs, ys);
    }

    private static Shape cross(double cx, double cy, double r) {
        double a = 0.34 * r;
        double[] xs = {cx - a, cx + a, cx + a, cx + r, cx + r, cx + a, cx + a, cx - a, cx - a, cx - r, cx - r, cx - a};
        double[] ys = {cy - r, cy - r, cy - a, cy - a, cy + a, cy + a, cy + r, cy + r, cy + a, cy + a, cy - a, cy - a};
        return polygon(xs, ys);
    }

    private static Shape polygon(double[] xs, double[] ys) {
        Path2D.Double path = new Path2D.Double();
        path.moveTo(xs[0], ys[0]);
        for (int i = 1; i < xs.length; i++) path.lineTo(xs[i], ys[i]);
        path.closePath();
        return path;
    }
}
