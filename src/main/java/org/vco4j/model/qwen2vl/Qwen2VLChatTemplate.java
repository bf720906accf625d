package org.vco4j.model.qwen2vl;

import org.vco4j.model.processing.ChatTemplate;
import org.vco4j.model.processing.Context;
import org.vco4j.model.processing.JinjaChatTemplate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint's chat template given the user turn as Qwen2-VL's processor builds it: the prompt is cut at its
 * {@value Context#IMAGE_PLACEHOLDER} placeholders into {@code {"type": "image"}} and {@code {"type": "text"}} parts, in
 * order, so that the template itself renders each image (the hub's as
 * {@code <|vision_start|><|image_pad|><|vision_end|>}); the processor then expands each {@code <|image_pad|>} to the
 * image's merged patch count.
 */
final class Qwen2VLChatTemplate implements ChatTemplate {
    private static final int REMEMBERED = 4096;
    private final JinjaChatTemplate template;
    private final Map<String, String> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    Qwen2VLChatTemplate(JinjaChatTemplate template) {
        this.template = template;
    }

    /** The content parts of a user prompt: an image part per placeholder, the text between them as text parts. */
    static List<Map<String, String>> parts(String prompt) {
        List<Map<String, String>> parts = new ArrayList<>();
        int from = 0;
        for (int at = prompt.indexOf(Context.IMAGE_PLACEHOLDER); at >= 0; at = prompt.indexOf(Context.IMAGE_PLACEHOLDER, from)) {
            if (at > from) parts.add(Map.of("type", "text", "text", prompt.substring(from, at)));
            parts.add(Map.of("type", "image"));
            from = at + Context.IMAGE_PLACEHOLDER.length();
        }
        if (from < prompt.length()) parts.add(Map.of("type", "text", "text", prompt.substring(from)));
        return parts;
    }

    @Override
    public boolean rendersConversations() {
        return true;
    }

    /** The template's rendering with each {@code <|image_pad|>} written as the placeholder {@link #conversationText} restores. */
    @Override
    public String renderConversation(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt) {
        return template.render(messages, addGenerationPrompt).replace(Qwen2VLFamily.IMAGE_PAD, Context.IMAGE_PLACEHOLDER);
    }

    @Override
    public String conversationText(String renderedConversation) {
        return renderedConversation.replace(Context.IMAGE_PLACEHOLDER, Qwen2VLFamily.IMAGE_PAD);
    }

    @Override
    public String render(String userPrompt) {
        synchronized (recent) {
            String known = recent.get(userPrompt);
            if (known != null) return known;
        }
        String rendered = template.render(List.of(Map.of("role", "user", "content", parts(userPrompt))), true);
        synchronized (recent) {
            recent.put(userPrompt, rendered);
        }
        return rendered;
    }
}
