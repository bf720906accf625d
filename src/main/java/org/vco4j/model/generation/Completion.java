package org.vco4j.model.generation;

/**
 * A finished generation: the generated token ids (without the end-of-sequence token), their text (cut before a
 * stop string), the prompt's length in tokens (image slots included) and why it ended.
 */
public record Completion(long[] ids, String text, int promptTokens, FinishReason finishReason) {

    /** Why generation ended, in OpenAI's words. */
    public enum FinishReason {
        /** The model ended its answer (end-of-sequence token) or wrote a stop string. */
        STOP,
        /** The answer reached the maximum number of new tokens. */
        LENGTH;

        /** The name OpenAI's API uses ({@code "stop"}, {@code "length"}). */
        public String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
