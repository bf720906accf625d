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

    /** Whether {@link #renderConversation} works: a checkpoint's Jinja template renders whole conversations. */
    default boolean rendersConversations() {
        return false;
    }

    /**
     * A whole conversation (transformers' {@code messages}, image parts {@code {"type": "image"}}) as the text the
     * model continues, with the generation prompt when asked, each image marked by one
     * {@link Context#IMAGE_PLACEHOLDER}; {@link #conversationText} turns it into the text to tokenize.
     */
    default String renderConversation(java.util.List<? extends java.util.Map<String, ?>> messages, boolean addGenerationPrompt) {
        throw new UnsupportedOperationException("this chat template renders a single user prompt, not conversations");
    }

    /** The text to tokenize for a {@link #renderConversation rendered conversation}: itself unless a family marks images otherwise. */
    default String conversationText(String renderedConversation) {
        return renderedConversation;
    }
}
