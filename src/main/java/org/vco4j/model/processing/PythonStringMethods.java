package org.vco4j.model.processing;

import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Python's {@code str} methods that chat templates call and Java's {@code String} lacks or spells differently
 * ({@code upper}, {@code lower}, {@code strip}/{@code lstrip}/{@code rstrip} with optional characters,
 * {@code startswith}, {@code endswith}, {@code split}, {@code title}, {@code capitalize}, {@code join}), with
 * Python's semantics; any other call falls through to Jinjava's own resolver.
 */
final class PythonStringMethods extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof CharSequence) || method == null) return null;
        String s = base.toString();
        Object[] args = params == null ? new Object[0] : params;
        Object result = call(s, method.toString(), args);
        if (result == NOT_HANDLED) return null;
        context.setPropertyResolved(true);
        return result;
    }

    private static final Object NOT_HANDLED = new Object();

    static Object call(String s, String method, Object[] args) {
        switch (args.length) {
            case 0 -> {
                switch (method) {
                    case "upper": return s.toUpperCase(Locale.ROOT);
                    case "lower": return s.toLowerCase(Locale.ROOT);
                    case "strip": return strip(s, null, true, true);
                    case "lstrip": return strip(s, null, true, false);
                    case "rstrip": return strip(s, null, false, true);
                    case "split": return splitWhitespace(s);
                    case "title": return title(s);
                    case "capitalize": return s.isEmpty() ? s
                            : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
                    default: return NOT_HANDLED;
                }
            }
            case 1 -> {
                Object arg = args[0];
                switch (method) {
                    case "strip": return strip(s, text(arg), true, true);
                    case "lstrip": return strip(s, text(arg), true, false);
                    case "rstrip": return strip(s, text(arg), false, true);
                    case "startswith": return affix(s, arg, true);
                    case "endswith": return affix(s, arg, false);
                    case "split": return arg == null ? splitWhitespace(s) : split(s, arg.toString());
                    case "join": return join(s, arg);
                    default: return NOT_HANDLED;
                }
            }
            default -> {
                return NOT_HANDLED;
            }
        }
    }

    private static String text(Object arg) {
        return arg == null ? null : arg.toString();
    }

    /** Python's {@code str.isspace} for one character. */
    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    private static String strip(String s, String chars, boolean left, boolean right) {
        int from = 0;
        int to = s.length();
        if (left) while (from < to && strips(s.charAt(from), chars)) from++;
        if (right) while (to > from && strips(s.charAt(to - 1), chars)) to--;
        return s.substring(from, to);
    }

    private static boolean strips(char c, String chars) {
        return chars == null ? isSpace(c) : chars.indexOf(c) >= 0;
    }

    private static boolean affix(String s, Object arg, boolean prefix) {
        if (arg instanceof Iterable<?> options) {
            for (Object option : options) if (affix(s, option, prefix)) return true;
            return false;
        }
        String a = String.valueOf(arg);
        return prefix ? s.startsWith(a) : s.endsWith(a);
    }

    private static List<String> splitWhitespace(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && isSpace(s.charAt(i))) i++;
            int start = i;
            while (i < s.length() && !isSpace(s.charAt(i))) i++;
            if (i > start) out.add(s.substring(start, i));
        }
        return out;
    }

    private static List<String> split(String s, String separator) {
        if (separator.isEmpty()) throw new IllegalArgumentException("empty separator");
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int at = s.indexOf(separator); at >= 0; at = s.indexOf(separator, start)) {
            out.add(s.substring(start, at));
            start = at + separator.length();
        }
        out.add(s.substring(start));
        return out;
    }

    private static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(previousCased ? Character.toLowerCase(c) : Character.toUpperCase(c));
            previousCased = Character.isLetter(c);
        }
        return out.toString();
    }

    private static String join(String separator, Object items) {
        StringBuilder out = new StringBuilder();
        Iterator<?> it = items instanceof Iterable<?> iterable ? iterable.iterator()
                : items instanceof Object[] array ? List.of(array).iterator() : null;
        if (it == null) throw new IllegalArgumentException("join takes a sequence, not " + items);
        while (it.hasNext()) {
            out.append(it.next());
            if (it.hasNext()) out.append(separator);
        }
        return out.toString();
    }

    /** transformers' {@code strftime_now(format)}: the local time now, in Python's {@code strftime} format. */
    public static String strftimeNow(String format) {
        return strftime(java.time.LocalDateTime.now(), format);
    }

    static String strftime(java.time.LocalDateTime time, String format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char d = format.charAt(++i);
            String pattern = switch (d) {
                case 'Y' -> "yyyy";
                case 'y' -> "yy";
                case 'm' -> "MM";
                case 'd' -> "dd";
                case 'H' -> "HH";
                case 'I' -> "hh";
                case 'M' -> "mm";
                case 'S' -> "ss";
                case 'p' -> "a";
                case 'b' -> "MMM";
                case 'B' -> "MMMM";
                case 'a' -> "EEE";
                case 'A' -> "EEEE";
                case 'j' -> "DDD";
                default -> null;
            };
            if (pattern != null) {
                out.append(java.time.format.DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH).format(time));
            } else if (d == '%') {
                out.append('%');
            } else {
                out.append('%').append(d);
            }
        }
        return out.toString();
    }

    @Override public Class<?> getCommonPropertyType(ELContext context, Object base) { return null; }
    @Override public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) { return null; }
    @Override public Class<?> getType(ELContext context, Object base, Object property) { return null; }
    @Override public Object getValue(ELContext context, Object base, Object property) { return null; }
    @Override public boolean isReadOnly(ELContext context, Object base, Object property) { return true; }
    @Override public void setValue(ELContext context, Object base, Object property, Object value) { }
}
