package org.vco4j.model.processing;

/**
 * Turns a user prompt into the text a chat model continues: a single user turn, e.g. LLaVA-1.5's
 * {@code "USER: <prompt> ASSISTANT:"}, after which the answer follows, ending in the end-of-sequence token.
 *
 * <p>A checkpoint folder states its format as Hugging Face does, a Jinja {@code chat_template}
 * (the model package's {@code ChatTemplateFiles} finds it) that {@link JinjaChatTemplate} renders.
 */
public interface ChatTemplate {

    /**
     * The prompt text up to where the assistant's answer begins. The prompt may hold {@link Context#IMAGE_PLACEHOLDER}s
     * inline; they pass through unchanged (the processor expands them).
     */
    String render(String userPrompt);
}
