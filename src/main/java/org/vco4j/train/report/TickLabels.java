package org.vco4j.train.report;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Text for numbers in charts and tables: as few digits as tell the values apart, plain for ordinary
 * magnitudes and as {@code 2.5e-5} for the very small and very large (learning rates, token counts).
 */
final class TickLabels {
    private TickLabels() {}

    /** Labels for evenly spaced tick values, each with the precision of the spacing. */
    static String[] format(double[] ticks) {
        String[] out = new String[ticks.length];
        if (ticks.length == 0) return out;
        double step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : Math.abs(ticks[0]);
        double largest = 0;
        for (double t : ticks) largest = Math.max(largest, Math.abs(t));
        int stepExponent = step > 0 ? (int) Math.floor(Math.log10(step) + 1e-9) : 0;
        boolean scientific = largest >= 1e5 || (largest > 0 && largest < 1e-3);
        for (int i = 0; i < ticks.length; i++) {
            double t = Math.abs(ticks[i]) < step * 1e-9 ? 0 : ticks[i];
            if (t == 0) {
                out[i] = "0";
            } else if (scientific) {
                int exponent = (int) Math.floor(Math.log10(Math.abs(t)) + 1e-9);
                out[i] = scientific(t, Math.max(0, Math.min(6, exponent - stepExponent)));
            } else {
                out[i] = String.format(Locale.ROOT, "%." + Math.max(0, -stepExponent) + "f", t);
            }
        }
        return out;
    }

    /** A value for a table: four significant digits, scientific outside [1e-3, 1e5). */
    static String number(double value) {
        if (Double.isNaN(value)) return "NaN";
        if (Double.isInfinite(value)) return value > 0 ? "inf" : "-inf";
        if (value == 0) return "0";
        double magnitude = Math.abs(value);
        if (magnitude >= 1e5 || magnitude < 1e-3) return scientific(value, 3);
        BigDecimal rounded = new BigDecimal(value).round(new java.math.MathContext(4));
        return strip(rounded.toPlainString());
    }

    /** {@code value} as mantissa and exponent with at most {@code decimals} mantissa digits, e.g. {@code 1.5e-5}. */
    private static String scientific(double value, int decimals) {
        String text = String.format(Locale.ROOT, "%." + decimals + "e", value);
        int e = text.indexOf('e');
        String mantissa = strip(text.substring(0, e));
        int exponent = Integer.parseInt(text.substring(e + 1));
        return mantissa + "e" + exponent;
    }

    /** Drops trailing zeros of a decimal fraction (and the point if nothing remains). */
    private static String strip(String text) {
        if (text.indexOf('.') < 0) return text;
        String out = text.replaceAll("0+$", "");
        return out.endsWith(".") ? out.substring(0, out.length() - 1) : out;
    }
}
