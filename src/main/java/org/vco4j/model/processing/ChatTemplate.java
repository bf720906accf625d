package org.vco4j.model.processing;

/**
 * Turns a user prompt into the text a chat model continues: a single user turn, e.g. LLaVA-1.5's
 * {@code "USER: <prompt> ASSISTANT:"}, after which the answer follows, ending in the end-of-sequence token.
 *
 * <p>Hugging Face stores templates as Jinja; instead of a Jinja engine, each family states its format as
 * one of these (see {@code ModelFamily.processor}).
 */
public record ChatTemplate(String name, String systemPrompt, String userPrefix, String assistantPrefix) {

    /** The prompt text up to where the assistant's answer begins. */
    public String render(String userPrompt) {
        return systemPrompt + userPrefix + userPrompt + assistantPrefix;
    }
}
