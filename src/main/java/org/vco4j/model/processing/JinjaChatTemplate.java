package org.vco4j.model.processing;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import jinjava.javax.el.CompositeELResolver;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code chat_template} rendered with HubSpot's Jinjava, set up to behave like transformers'
 * Jinja2 environment: {@code trim_blocks} and {@code lstrip_blocks}, Python's string methods
 * ({@code .upper()}, {@code .strip()}, ... see {@link PythonStringMethods}), {@code raise_exception(message)},
 * {@code strftime_now(format)} and the
 * {@code {% generation %}...{% endgeneration %}} tag (its body renders unchanged). Undefined names render empty and
 * test false, as with Jinja2's default {@code Undefined} that transformers uses.
 *
 * <p>The template is parsed once ({@link #compile}); each {@link #render} walks the parsed tree with fresh variables,
 * so one instance may render from many threads. Not supported: the {@code loopcontrols} extension's
 * {@code {% break %}} and {@code {% continue %}} (such a template fails to compile, naming its file).
 */
public final class JinjaChatTemplate implements ChatTemplate {
    private static final Jinjava JINJAVA = newEngine();
    /**
     * Jinjava's global context (functions, tags, filters) once per thread: loops record their variables in a set the
     * context chain shares, so threads must not share it, and copying it for every render costs ~0.4 ms.
     */
    private static final ThreadLocal<Context> GLOBALS = ThreadLocal.withInitial(JINJAVA::getGlobalContextCopy);

    /** Prompts rendered lately: scoring renders the same prompt for every response it scores in that context. */
    private static final int REMEMBERED = 4096;

    private final String source;
    private final Node tree;
    private final Map<String, Object> variables;
    private final Map<String, String> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    private JinjaChatTemplate(String source, Node tree, Map<String, Object> variables) {
        this.source = source;
        this.tree = tree;
        this.variables = variables;
    }

    /**
     * Parses {@code text}; {@code source} (the file it came from) names the template in every error. A syntax error
     * is an {@link IllegalArgumentException}.
     */
    public static JinjaChatTemplate compile(String text, String source) {
        return compile(text, source, Map.of());
    }

    /**
     * Parses {@code text} with extra variables every render sees (transformers passes the special tokens,
     * e.g. {@code bos_token}); fails naming {@code source} on a syntax error.
     */
    public static JinjaChatTemplate compile(String text, String source, Map<String, ?> variables) {
        JinjavaInterpreter interpreter = interpreter(Map.of());
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            Node tree = interpreter.parse(text);
            List<TemplateError> errors = fatal(interpreter);
            if (!errors.isEmpty()) throw new IllegalArgumentException(source + ": the chat template does not parse: " + describe(errors));
            return new JinjaChatTemplate(source, tree, Map.copyOf(variables));
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    /** Where the template came from. */
    public String source() {
        return source;
    }

    /** One user turn whose content is one text part, with the generation prompt (the last few thousand are remembered). */
    @Override
    public String render(String userPrompt) {
        synchronized (recent) {
            String known = recent.get(userPrompt);
            if (known != null) return known;
        }
        Map<String, Object> text = Map.of("type", "text", "text", userPrompt);
        String rendered = render(List.of(Map.of("role", "user", "content", List.of(text))), true);
        synchronized (recent) {
            recent.put(userPrompt, rendered);
        }
        return rendered;
    }

    /**
     * Renders a conversation: {@code messages} as transformers takes them (each a map with {@code role} and
     * {@code content}, a string or a list of parts such as {@code {"type": "text", "text": ...}} and
     * {@code {"type": "image"}}).
     */
    public String render(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt) {
        Map<String, Object> bindings = new HashMap<>(variables);
        bindings.put("messages", messages);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        JinjavaInterpreter interpreter = interpreter(bindings);
        String out;
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            out = interpreter.render(tree);
        } catch (RuntimeException e) {
            String raised = raised(e);
            throw new IllegalArgumentException(source + ": the chat template failed: "
                    + (raised != null ? "raise_exception: " + raised : e.getMessage()), e);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        List<TemplateError> errors = fatal(interpreter);
        if (!errors.isEmpty()) throw new IllegalArgumentException(source + ": the chat template failed: " + describe(errors));
        return out;
    }

    @Override
    public boolean rendersConversations() {
        return true;
    }

    @Override
    public String renderConversation(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt);
    }

    /** Called by templates as {@code raise_exception(message)}, as transformers defines it. */
    public static String raiseException(String message) {
        throw new TemplateRaisedException(message);
    }

    private static JinjavaInterpreter interpreter(Map<String, ?> bindings) {
        return new JinjavaInterpreter(JINJAVA, new Context(GLOBALS.get(), bindings), JINJAVA.getGlobalConfig());
    }

    private static List<TemplateError> fatal(JinjavaInterpreter interpreter) {
        return interpreter.getErrors().stream().filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL).toList();
    }

    private static String describe(List<TemplateError> errors) {
        StringBuilder out = new StringBuilder();
        for (TemplateError error : errors) {
            if (out.length() > 0) out.append("; ");
            String raised = raised(error.getException());
            out.append(raised != null ? "raise_exception: " + raised : error.getMessage());
            if (error.getLineno() > 0) out.append(" (line ").append(error.getLineno()).append(')');
        }
        return out.toString();
    }

    /** The message a template gave {@code raise_exception}, if that is what went wrong. */
    private static String raised(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof TemplateRaisedException) return t.getMessage();
        return null;
    }

    private static Jinjava newEngine() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStringMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        // Jinjava's "legacy overrides" are its switches towards Jinja2's behaviour: {{- -}} trimming, Python's
        // operator precedence, map keys and loop values as in Python, Python-like output of lists and dicts.
        LegacyOverrides jinja2 = LegacyOverrides.newBuilder()
                .withEvaluateMapKeys(true)
                .withIterateOverMapKeys(true)
                .withUsePyishObjectMapper(true)
                .withUseNaturalOperatorPrecedence(true)
                .withParseWhitespaceControlStrictly(true)
                .withAllowAdjacentTextNodes(true)
                .withUseTrimmingForNotesAndExpressions(true)
                .withKeepNullableLoopValues(true)
                .build();
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withLegacyOverrides(jinja2)
                // Text a variable holds is data: never render it again as a template (a prompt may contain "{{").
                .withNestedInterpretationEnabled(false)
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withElResolver(resolver)
                .build();
        Jinjava jinjava = new Jinjava(config);
        jinjava.getGlobalContext().registerFunction(
                new ELFunctionDefinition("", "raise_exception", JinjaChatTemplate.class, "raiseException", String.class));
        jinjava.getGlobalContext().registerFunction(
                new ELFunctionDefinition("", "strftime_now", PythonStringMethods.class, "strftimeNow", String.class));
        jinjava.getGlobalContext().registerTag(new GenerationTag());
        return jinjava;
    }

    /** What {@code raise_exception} throws: the template's own message. */
    static final class TemplateRaisedException extends RuntimeException {
        TemplateRaisedException(String message) {
            super(message);
        }
    }

    /**
     * transformers' {@code {% generation %}...{% endgeneration %}}: marks the assistant's tokens for
     * {@code return_assistant_tokens_mask}; the text is the body's, unchanged.
     */
    private static final class GenerationTag implements Tag {
        @Override
        public String getName() {
            return "generation";
        }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            StringBuilder out = new StringBuilder();
            for (Node child : tagNode.getChildren()) out.append(child.render(interpreter).getValue());
            return out.toString();
        }
    }
}
