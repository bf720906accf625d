package org.vco4j.model.processing;

import org.junit.jupiter.api.Test;
import org.vco4j.model.llava.LlavaFamily;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JinjaChatTemplateTest {
    private static final String SOURCE = "/checkpoints/x/chat_template.json";

    /** Qwen / LLaVA-Interleave's ChatML, written in the style of the official templates (whitespace control, multi-line). */
    static final String CHATML = """
            {%- for message in messages %}
                {%- if loop.first and messages[0]['role'] != 'system' %}
                    {{- '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}
                {%- endif %}
                {{- '<|im_start|>' + message['role'] + '\\n' }}
                {%- if message['content'] is string %}
                    {{- message['content'] }}
                {%- else %}
                    {%- for content in message['content'] %}
                        {%- if content['type'] == 'image' %}
                            {{- '<image>\\n' }}
                        {%- elif content['type'] == 'text' %}
                            {{- content['text'] }}
                        {%- endif %}
                    {%- endfor %}
                {%- endif %}
                {{- '<|im_end|>\\n' }}
            {%- endfor %}
            {%- if add_generation_prompt %}
                {{- '<|im_start|>assistant\\n' }}
            {%- endif %}
            """;

    /** Prompts of every kind the project sends: placeholders inline, unicode, edge whitespace, template syntax as data. */
    static List<String> prompts() {
        List<String> out = new ArrayList<>(List.of("", " ", "Is there a cat?", "<image>\nIs there a cat?",
                "<image>\n<image>\nCompare the two images.", "Left: <image> right: <image> which is red?",
                "trailing space ", "  leading", "tab\tand\nnewline\n", "\n", "Ünïcödé — 猫はいますか？ 🐈‍⬛ ",
                "{{ messages }} {% if x %} {# c #}", "quotes ' \" \\ backslash", "USER: ASSISTANT:", "<|im_end|>",
                "\u00a0nbsp\u00a0", "a".repeat(5000)));
        String[] words = {"the", "<image>", "red", " ", "\n", "é", "猫", "?", "  ", "square"};
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 300; i++) {
            StringBuilder p = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) p.append(words[random.nextInt(words.length)]).append(random.nextBoolean() ? " " : "");
            out.add(p.toString());
        }
        return out;
    }

    @Test
    void llava15TemplateIsByteIdenticalToTheFormerHardCodedFormat() {
        ChatTemplate template = JinjaChatTemplate.compile(LlavaFamily.JINJA_TEMPLATE, SOURCE);
        for (String prompt : prompts()) assertEquals("USER: " + prompt + " ASSISTANT:", template.render(prompt), prompt);
    }

    @Test
    void chatMlRendersTheSystemTurnUserTurnAndGenerationPrompt() {
        ChatTemplate template = JinjaChatTemplate.compile(CHATML, SOURCE);
        for (String prompt : prompts()) {
            assertEquals("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n" + prompt
                    + "<|im_end|>\n<|im_start|>assistant\n", template.render(prompt), prompt);
        }
    }

    @Test
    void chatMlTakesStringContentImagePartsAndItsOwnSystemTurn() {
        JinjaChatTemplate template = JinjaChatTemplate.compile(CHATML, SOURCE);
        List<Map<String, Object>> messages = List.of(
                Map.of("role", "system", "content", "Be brief."),
                Map.of("role", "user", "content", List.of(Map.of("type", "image"), Map.of("type", "text", "text", "What is it?"))),
                Map.of("role", "assistant", "content", "A cat."));
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n<image>\nWhat is it?<|im_end|>\n"
                + "<|im_start|>assistant\nA cat.<|im_end|>\n", template.render(messages, false));
    }

    @Test
    void llavaTemplatePutsImagePartsFirstAndRendersTheGenerationTagsBody() {
        JinjaChatTemplate template = JinjaChatTemplate.compile(LlavaFamily.JINJA_TEMPLATE, SOURCE);
        List<Map<String, Object>> messages = List.of(
                Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "Is it red?"), Map.of("type", "image"))),
                Map.of("role", "assistant", "content", List.of(Map.of("type", "text", "text", "Yes."))));
        assertEquals("USER: <image>\nIs it red? ASSISTANT: Yes. ", template.render(messages, false));
    }

    @Test
    void pythonStringMethodsBehaveAsInJinja2() {
        String template = "{{ 'abc'.upper() }}|{{ 'AbC'.lower() }}|{{ '  x y \\n'.strip() }}|{{ 'xxhixx'.strip('x') }}|"
                + "{{ '  l'.lstrip() }}|{{ 'r  '.rstrip() }}|{{ 'abc'.startswith('ab') }}|{{ 'abc'.endswith('bc') }}|"
                + "{{ ' a  b '.split() | length }}|{{ 'a,,b'.split(',') | length }}|{{ 'hello wORLD'.title() }}|"
                + "{{ 'hELLO'.capitalize() }}|{{ ', '.join(['a', 'b']) }}|{{ 'a b'.replace('a', 'c') }}";
        assertEquals("ABC|abc|x y|hi|l|r|true|true|2|3|Hello World|Hello|a, b|c b",
                JinjaChatTemplate.compile(template, SOURCE).render(List.of(), false));
    }

    @Test
    void strftimeTakesPythonsFormat() {
        assertEquals("05 Mar 2026, Thursday 09:07:03 PM 064 %",
                PythonStringMethods.strftime(java.time.LocalDateTime.of(2026, 3, 5, 21, 7, 3), "%d %b %Y, %A %I:%M:%S %p %j %%"));
        String year = JinjaChatTemplate.compile("{{ strftime_now('%Y') }}", SOURCE).render(List.of(), false);
        assertTrue(year.matches("\\d{4}"), year);
    }

    @Test
    void undefinedNamesRenderEmptyAndTestFalseAsWithTransformers() {
        assertEquals("|no", JinjaChatTemplate.compile("{{ nothing }}|{% if tools %}yes{% else %}no{% endif %}", SOURCE)
                .render(List.of(), false));
    }

    @Test
    void specialTokenVariablesReachTheTemplate() {
        assertEquals("<s>[x]", JinjaChatTemplate.compile("{{ bos_token }}[{{ messages[0]['content'][0]['text'] }}]", SOURCE,
                Map.of("bos_token", "<s>")).render("x"));
    }

    @Test
    void raiseExceptionFailsTheRenderNamingTheFile() {
        JinjaChatTemplate template = JinjaChatTemplate.compile(
                "{% if messages[0]['role'] != 'system' %}{{ raise_exception('Conversation must start with a system turn') }}{% endif %}", SOURCE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> template.render("hi"));
        assertTrue(e.getMessage().contains(SOURCE) && e.getMessage().contains("Conversation must start with a system turn"), e.getMessage());
    }

    @Test
    void aTemplateThatDoesNotParseFailsNamingTheFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JinjaChatTemplate.compile("{% frobnicate %}{{ x }}", SOURCE));
        assertTrue(e.getMessage().startsWith(SOURCE), e.getMessage());
    }

    @Test
    void oneCompiledTemplateRendersFromManyThreads() {
        ChatTemplate template = JinjaChatTemplate.compile(LlavaFamily.JINJA_TEMPLATE, SOURCE);
        IntStream.range(0, 2000).parallel().forEach(i ->
                assertEquals("USER: prompt " + i + " ASSISTANT:", template.render("prompt " + i)));
    }

    @Test
    void renderCostPerPrompt() {
        JinjaChatTemplate template = JinjaChatTemplate.compile(LlavaFamily.JINJA_TEMPLATE, SOURCE);
        for (int i = 0; i < 2000; i++) template.render("warm-up " + i);
        int n = 10_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) template.render("<image>\nIs there a red square in the image? " + i);
        double fresh = (System.nanoTime() - start) / 1e3 / n;
        start = System.nanoTime();
        for (int i = 0; i < n; i++) template.render("<image>\nIs there a red square in the image? " + (i % 100));
        double repeated = (System.nanoTime() - start) / 1e3 / n;
        System.out.printf("JinjaChatTemplate, LLaVA-1.5: %.1f µs per render of a new prompt, %.2f µs of a recent one (%d renders)%n",
                fresh, repeated, n);
        assertTrue(fresh < 5_000, fresh + " µs per render");
    }

    @Test
    void rememberedRendersEqualFreshOnes() {
        JinjaChatTemplate template = JinjaChatTemplate.compile(LlavaFamily.JINJA_TEMPLATE, SOURCE);
        for (int i = 0; i < 10_000; i++) {
            String prompt = "p" + (i * 7919 % 5000);
            assertEquals("USER: " + prompt + " ASSISTANT:", template.render(prompt));
        }
    }
}
