package org.vco4j.model.processing;

/**
 * Turns a user prompt into the text a chat model continues. LLaVA-1.5's Hugging Face template renders a
 * single user turn as {@code "USER: <prompt> ASSISTANT:"} and the answer follows after a space, ending in
 * the end-of-sequence token.
 *
 * <p>Hugging Face stores templates as Jinja; this class implements the formats of the families we support
 * instead of a Jinja engine, and is picked by family.
 */
public record ChatTemplate(String name, String systemPrompt, String userPrefix, String assistantPrefix) {

    /** LLaVA-1.5 as served by {@code llava-hf/llava-1.5-*-hf}. */
    public static ChatTemplate llava15() {
        return new ChatTemplate("llava-1.5", "", "USER: ", " ASSISTANT:");
    }

    /** The prompt text up to where the assistant's answer begins. */
    public String render(String userPrompt) {
        return systemPrompt + userPrefix + userPrompt + assistantPrefix;
    }
}
