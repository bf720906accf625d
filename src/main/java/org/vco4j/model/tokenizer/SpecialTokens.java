package org.vco4j.model.tokenizer;

/**
 * The special tokens a checkpoint's tokenizer files declare; null where none is declared. The image
 * token defaults to LLaVA's {@code "<image>"} unless {@code tokenizer_config.json} names another.
 */
public record SpecialTokens(String bos, String eos, String unk, String pad, String image) {
    /** LLaVA's placeholder for an image in a prompt. */
    public static final String DEFAULT_IMAGE_TOKEN = "<image>";
}
