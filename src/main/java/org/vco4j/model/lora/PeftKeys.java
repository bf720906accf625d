package org.vco4j.model.lora;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tensor names in PEFT's {@code adapter_model.safetensors}: the path of the module inside
 * {@code PeftModel} ({@code base_model.model.} + the base model's module path), then
 * {@code lora_A.weight} or {@code lora_B.weight}. PEFT strips the adapter name ({@code default}) when
 * saving and puts it back when loading; files saved straight from a state dict still carry it.
 */
final class PeftKeys {
    static final String PREFIX = "base_model.model.";
    static final String LORA_A = "lora_A";
    static final String LORA_B = "lora_B";

    private static final Pattern KEY = Pattern.compile("(.+)\\.(lora_A|lora_B)(?:\\.([^.]+))?\\.weight");

    private PeftKeys() {}

    /** A parsed key: the module path as written in the file and which matrix it holds. */
    record Key(String modulePath, String matrix) {}

    /** The key PEFT saves for {@code matrix} (lora_A or lora_B) of the layer at {@code modulePath}. */
    static String key(String modulePath, String matrix) {
        return PREFIX + modulePath + "." + matrix + ".weight";
    }

    /** Parses a key with or without an adapter name; null when it is no LoRA Linear weight. */
    static Key parse(String key) {
        if (!key.startsWith(PREFIX)) return null;
        Matcher m = KEY.matcher(key.substring(PREFIX.length()));
        return m.matches() ? new Key(m.group(1), m.group(2)) : null;
    }
}
