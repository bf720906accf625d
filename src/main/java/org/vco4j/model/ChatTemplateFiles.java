package org.vco4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.vco4j.common.Json;
import org.vco4j.model.processing.ChatTemplate;
import org.vco4j.model.processing.JinjaChatTemplate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where Hugging Face keeps a checkpoint's chat template, in the order transformers reads them:
 * {@code chat_template.jinja} (the raw text), {@code chat_template.json} ({@code {"chat_template": "..."}}) and
 * {@code tokenizer_config.json} (its {@code "chat_template"}: a string, or a list of named templates of which
 * the one named {@code "default"} is taken). The first file that has one gives the template, compiled once.
 */
public final class ChatTemplateFiles {
    static final String JINJA_FILE = "chat_template.jinja";
    static final String JSON_FILE = "chat_template.json";
    static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    static final List<String> FILES = List.of(JINJA_FILE, JSON_FILE, TOKENIZER_CONFIG);
    private static final String KEY = "chat_template";

    private ChatTemplateFiles() {
    }

    /** The folder's chat template, ready to render; fails naming the folder and the files when there is none. */
    public static ChatTemplate load(Path folder) {
        for (String name : FILES) {
            Path file = folder.resolve(name);
            if (!Files.isRegularFile(file)) continue;
            String text = read(file);
            if (text == null) continue;
            try {
                return JinjaChatTemplate.compile(text, file.toString());
            } catch (IllegalArgumentException e) {
                throw new ModelLoadException(e.getMessage(), e);
            }
        }
        throw new ModelLoadException(folder + ": no chat template (looked for " + JINJA_FILE + ", \"" + KEY + "\" in "
                + JSON_FILE + " and \"" + KEY + "\" in " + TOKENIZER_CONFIG + "); the model's prompt format is unknown");
    }

    /** The template text in one file, or null when that file has none. */
    private static String read(Path file) {
        try {
            if (file.getFileName().toString().equals(JINJA_FILE)) return Files.readString(file, StandardCharsets.UTF_8);
            JsonNode node = Json.MAPPER.readTree(file.toFile()).path(KEY);
            if (node.isTextual()) return node.asText();
            if (node.isArray()) {
                for (JsonNode named : node) {
                    if ("default".equals(named.path("name").asText()) && named.path("template").isTextual()) {
                        return named.path("template").asText();
                    }
                }
                throw new ModelLoadException(file + ": \"" + KEY + "\" lists named templates but none named \"default\"");
            }
            if (node.isMissingNode() || node.isNull()) return null;
            throw new ModelLoadException(file + ": \"" + KEY + "\" must be a string, not " + node.getNodeType());
        } catch (IOException e) {
            throw new ModelLoadException(file + ": cannot read the chat template: " + e.getMessage(), e);
        }
    }
}
