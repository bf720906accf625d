package org.vco4j.model.lora;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which Linear layers get LoRA adapters, decided on module paths as PEFT decides on
 * {@code target_modules}: a regular expression that must match the whole path ({@code re.fullmatch}).
 *
 * <p>{@link Names} is the usual form: layer names (q_proj, …) inside a scope of submodules
 * (language_model). It is written to {@code adapter_config.json} as a regular expression over path
 * components, so PEFT selects the same layers whichever key layout its transformers version uses.
 * {@link Regex} keeps a pattern read from an adapter written elsewhere.
 *
 * <p>Which names and scope a model gets by default is its family's fact
 * ({@code ModelFamily.defaultLoraTargets()} and {@code loraScope()}).
 */
public sealed interface TargetModules {

    /**
     * LLaVA-1.5's default (the Llama decoder's attention and MLP projections inside {@code language_model}), for
     * code with a LLaVA module tree but no family at hand, such as tests; training asks the model's family.
     */
    static TargetModules defaults() {
        return new Names(List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"),
                List.of("language_model"));
    }

    /** Whether the Linear layer at this module path gets an adapter. */
    boolean matches(String modulePath);

    /** The value of {@code target_modules} in adapter_config.json: a regular expression for {@code re.fullmatch}. */
    String pattern();

    /**
     * The layers named {@code names} (a path ends with one of them) inside {@code scope} (the path passes
     * through one of these submodules; empty means anywhere in the model). Names and scope entries are
     * module names, dotted for nested ones ({@code self_attn.q_proj}).
     */
    record Names(List<String> names, List<String> scope) implements TargetModules {
        private static final Pattern MODULE_NAME = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");

        public Names {
            names = List.copyOf(names);
            scope = List.copyOf(scope);
            if (names.isEmpty()) throw new IllegalArgumentException("target modules: at least one layer name is needed");
            for (String name : names) checkModuleName("target module", name);
            for (String name : scope) checkModuleName("scope", name);
        }

        private static void checkModuleName(String what, String name) {
            if (!MODULE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(what + " '" + name + "' is not a module name (letters, digits, '_', dots between names)");
            }
        }

        @Override
        public boolean matches(String modulePath) {
            return Pattern.matches(pattern(), modulePath);
        }

        /**
         * {@code (.*\.)?(language_model)\.(.*\.)?(q_proj|k_proj|…)}, or {@code (.*\.)?(q_proj|…)} without a
         * scope. Only groups, alternation, {@code .*} and escaped dots: the same in Java and Python.
         */
        @Override
        public String pattern() {
            String layers = "(" + alternatives(names) + ")";
            return scope.isEmpty() ? "(.*\\.)?" + layers : "(.*\\.)?(" + alternatives(scope) + ")\\.(.*\\.)?" + layers;
        }

        private static String alternatives(List<String> names) {
            return String.join("|", names.stream().map(n -> n.replace(".", "\\.")).toList());
        }
    }

    /** A {@code target_modules} regular expression as another tool wrote it, matched as written. */
    record Regex(String pattern) implements TargetModules {
        public Regex {
            Objects.requireNonNull(pattern, "pattern");
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("target_modules '" + pattern + "' is not a regular expression: " + e.getDescription(), e);
            }
        }

        @Override
        public boolean matches(String modulePath) {
            return Pattern.matches(pattern, modulePath);
        }
    }

    /**
     * Reads a string {@code target_modules}: the form {@link Names#pattern()} writes becomes {@link Names}
     * again, anything else is kept as a {@link Regex}.
     */
    static TargetModules fromPattern(String pattern) {
        Matcher m = Pattern.compile("\\(\\.\\*\\\\\\.\\)\\?(?:\\(([^()]+)\\)\\\\\\.\\(\\.\\*\\\\\\.\\)\\?)?\\(([^()]+)\\)")
                .matcher(pattern);
        if (m.matches()) {
            List<String> scope = m.group(1) == null ? List.of() : unescape(m.group(1));
            List<String> names = unescape(m.group(2));
            if (scope != null && names != null) {
                Names parsed = new Names(names, scope);
                // Only when it reads back to the very same text, so no pattern ever changes meaning.
                if (parsed.pattern().equals(pattern)) return parsed;
            }
        }
        return new Regex(pattern);
    }

    /** {@code q_proj|self_attn\.o_proj} → its module names, or null when an alternative is not one. */
    private static List<String> unescape(String alternatives) {
        List<String> out = new ArrayList<>();
        for (String alternative : alternatives.split("\\|", -1)) {
            String name = alternative.replace("\\.", ".");
            if (!name.matches("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*")) return null;
            out.add(name);
        }
        return out;
    }

    /** PEFT's list form: a path is selected when it equals a name or ends with {@code "." + name}. */
    static TargetModules fromList(List<String> names) {
        return new Names(names, List.of());
    }
}
