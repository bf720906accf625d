package org.vco4j.model.llava;

/**
 * The two key layouts LLaVA checkpoints come in. Before transformers 4.52 the language model's keys
 * were {@code language_model.model.*} and {@code language_model.lm_head.*} and the tower and projector
 * sat at the top (LLaVA-OneVision's {@code image_newline} too); since then everything but the head lives under
 * {@code model.*}.
 */
public enum LlavaKeyLayout {
    /** {@code model.language_model.*}, {@code model.vision_tower.*}, {@code model.multi_modal_projector.*}, {@code lm_head.*}. */
    CURRENT,
    /** {@code language_model.model.*}, {@code language_model.lm_head.*}, {@code vision_tower.*}, {@code multi_modal_projector.*}. */
    LEGACY;

    /** The module (current-layout) name of a checkpoint key in either layout; null for buffers to skip. */
    public static String toModuleName(String key) {
        if (key.endsWith("rotary_emb.inv_freq") || key.endsWith("embeddings.position_ids")) return null;
        if (key.startsWith("language_model.model.")) return "model.language_model." + key.substring(21);
        if (key.startsWith("language_model.lm_head.")) return "lm_head." + key.substring(23);
        if (key.startsWith("vision_tower.")) return "model." + key;
        if (key.startsWith("multi_modal_projector.")) return "model." + key;
        if (key.equals("image_newline")) return "model." + key; // LLaVA-OneVision's learned row separator
        return key;
    }

    /** The checkpoint key of a module name in this layout. */
    public String toCheckpointKey(String moduleName) {
        if (this == CURRENT) return moduleName;
        if (moduleName.startsWith("model.language_model.")) return "language_model.model." + moduleName.substring(21);
        if (moduleName.startsWith("lm_head.")) return "language_model." + moduleName;
        if (moduleName.startsWith("model.")) return moduleName.substring(6);
        return moduleName;
    }
}
