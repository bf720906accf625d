package org.vco4j.objective;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * The named hyper-parameters of one objective. Each starts at its paper's default and is set from text
 * ({@code set("beta", "0.1")}), so command lines and config files need no per-objective code. An unknown
 * key or a bad value fails with a message naming the objective and listing the known keys.
 *
 * <p>An objective defines its parameters in its constructor, binding each to a field; setting a value
 * updates the field, so the objective's formula reads plain fields.
 */
public final class Hyperparameters {
    /**
     * One hyper-parameter as shown to users.
     *
     * @param key          the name used by {@code set}
     * @param value        the current value as text
     * @param defaultValue the paper's default as text
     * @param expects      what values are accepted
     * @param description  what it does
     */
    public record Entry(String key, String value, String defaultValue, String expects, String description) {}

    private record Parameter(String defaultValue, String expects, String description, Function<String, Object> parse,
                             Consumer<Object> apply) {}

    private final String objectiveName;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();

    Hyperparameters(String objectiveName) {
        this.objectiveName = objectiveName;
    }

    /** Sets {@code key} to the value written in {@code text}. */
    public void set(String key, String text) {
        Parameter parameter = parameter(key);
        Object value = parameter.parse().apply(text.trim());
        if (value == null) {
            throw new IllegalArgumentException("hyper-parameter '" + key + "' of objective '" + objectiveName
                    + "' expects " + parameter.expects() + ", got '" + text + "'");
        }
        parameter.apply().accept(value);
        values.put(key, format(value));
    }

    /** The current value of {@code key} as text. */
    public String get(String key) {
        parameter(key);
        return values.get(key);
    }

    /** Every hyper-parameter in definition order. */
    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        parameters.forEach((key, parameter) -> entries.add(new Entry(
                key, values.get(key), parameter.defaultValue(), parameter.expects(), parameter.description())));
        return entries;
    }

    /** A real number; a weight, where ≤ 0 switches its term off. */
    void real(String key, double defaultValue, String description, DoubleConsumer field) {
        between(key, defaultValue, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, description, field);
    }

    /** A real number greater than 0 (a temperature such as β). */
    void positive(String key, double defaultValue, String description, DoubleConsumer field) {
        define(key, defaultValue, "a number > 0", description, text -> {
            Double value = parseReal(text);
            return value != null && value > 0 ? value : null;
        }, value -> field.accept((Double) value));
    }

    /** A real number in {@code [min, max]}. */
    void between(String key, double defaultValue, double min, double max, String description, DoubleConsumer field) {
        String expects = Double.isInfinite(min) && Double.isInfinite(max) ? "a finite number"
                : "a number in [" + format(min) + ", " + format(max) + "]";
        define(key, defaultValue, expects, description, text -> {
            Double value = parseReal(text);
            return value != null && value >= min && value <= max ? value : null;
        }, value -> field.accept((Double) value));
    }

    /** A whole number of at least {@code min}. */
    void count(String key, int defaultValue, int min, String description, IntConsumer field) {
        define(key, defaultValue, "a whole number >= " + min, description, text -> {
            try {
                int value = Integer.parseInt(text);
                return value >= min ? value : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }, value -> field.accept((Integer) value));
    }

    /** {@code true} or {@code false}. */
    void flag(String key, boolean defaultValue, String description, Consumer<Boolean> field) {
        define(key, defaultValue, "true or false", description, text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        }, value -> field.accept((Boolean) value));
    }

    /** One of a fixed set of words. */
    void choice(String key, String defaultValue, List<String> choices, String description, Consumer<String> field) {
        define(key, defaultValue, "one of " + String.join(", ", choices), description,
                text -> choices.contains(text) ? text : null, value -> field.accept((String) value));
    }

    private void define(String key, Object defaultValue, String expects, String description,
                        Function<String, Object> parse, Consumer<Object> apply) {
        if (parameters.containsKey(key)) throw new IllegalStateException("hyper-parameter '" + key + "' defined twice");
        parameters.put(key, new Parameter(format(defaultValue), expects, description, parse, apply));
        set(key, format(defaultValue));
    }

    private Parameter parameter(String key) {
        Parameter parameter = parameters.get(key);
        if (parameter == null) {
            throw new IllegalArgumentException("objective '" + objectiveName + "' has no hyper-parameter '" + key
                    + "'; known: " + String.join(", ", parameters.keySet()));
        }
        return parameter;
    }

    private static Double parseReal(String text) {
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String format(Object value) {
        if (value instanceof Double number && Double.isInfinite(number)) return number > 0 ? "inf" : "-inf";
        if (value instanceof Double number) return BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
        return String.valueOf(value);
    }
}
