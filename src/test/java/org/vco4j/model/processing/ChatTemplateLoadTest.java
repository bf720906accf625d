package org.vco4j.model.processing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;
import org.vco4j.model.ChatTemplateFiles;
import org.vco4j.model.ModelLoadException;
import org.vco4j.model.llava.LlavaFamily;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatTemplateLoadTest {

    private static void writeJson(Path file, String key, Object value) throws Exception {
        Files.write(file, Json.MAPPER.writeValueAsBytes(java.util.Map.of(key, value)));
    }

    @Test
    void readsChatTemplateJson(@TempDir Path folder) throws Exception {
        writeJson(folder.resolve("chat_template.json"), "chat_template", LlavaFamily.JINJA_TEMPLATE);
        assertEquals("USER: <image>\nhi ASSISTANT:", ChatTemplateFiles.load(folder).render("<image>\nhi"));
    }

    @Test
    void readsTokenizerConfigWhenThereIsNoChatTemplateJson(@TempDir Path folder) throws Exception {
        writeJson(folder.resolve("tokenizer_config.json"), "chat_template", JinjaChatTemplateTest.CHATML);
        assertTrue(ChatTemplateFiles.load(folder).render("hi").endsWith("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"));
    }

    @Test
    void takesTheDefaultOfNamedTemplates(@TempDir Path folder) throws Exception {
        writeJson(folder.resolve("tokenizer_config.json"), "chat_template", java.util.List.of(
                java.util.Map.of("name", "tool_use", "template", "tools"),
                java.util.Map.of("name", "default", "template", "{{ messages[0]['content'][0]['text'] }}!")));
        assertEquals("hi!", ChatTemplateFiles.load(folder).render("hi"));
    }

    @Test
    void chatTemplateJsonComesBeforeTokenizerConfigAndTheJinjaFileBeforeBoth(@TempDir Path folder) throws Exception {
        writeJson(folder.resolve("tokenizer_config.json"), "chat_template", "tokenizer_config");
        writeJson(folder.resolve("chat_template.json"), "chat_template", "chat_template.json");
        assertEquals("chat_template.json", ChatTemplateFiles.load(folder).render("x"));
        Files.writeString(folder.resolve("chat_template.jinja"), "jinja file");
        assertEquals("jinja file", ChatTemplateFiles.load(folder).render("x"));
    }

    @Test
    void aTokenizerConfigWithoutATemplateIsSkipped(@TempDir Path folder) throws Exception {
        writeJson(folder.resolve("tokenizer_config.json"), "model_max_length", 4096);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ChatTemplateFiles.load(folder));
        assertTrue(e.getMessage().startsWith(folder.toString()) && e.getMessage().contains("chat_template.json")
                && e.getMessage().contains("tokenizer_config.json"), e.getMessage());
    }

    @Test
    void aFolderWithoutATemplateFailsNamingTheFolderAndTheFiles(@TempDir Path folder) {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ChatTemplateFiles.load(folder));
        assertTrue(e.getMessage().startsWith(folder.toString()) && e.getMessage().contains("chat_template.json")
                && e.getMessage().contains("tokenizer_config.json"), e.getMessage());
    }

    @Test
    void errorsNameTheFile(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("chat_template.json");
        writeJson(file, "chat_template", "{% frobnicate %}");
        ModelLoadException parse = assertThrows(ModelLoadException.class, () -> ChatTemplateFiles.load(folder));
        assertTrue(parse.getMessage().startsWith(file.toString()), parse.getMessage());
        writeJson(file, "chat_template", "{{ raise_exception('no') }}");
        IllegalArgumentException render = assertThrows(IllegalArgumentException.class, () -> ChatTemplateFiles.load(folder).render("x"));
        assertTrue(render.getMessage().startsWith(file.toString()), render.getMessage());
        Files.writeString(file, "{not json");
        ModelLoadException json = assertThrows(ModelLoadException.class, () -> ChatTemplateFiles.load(folder));
        assertTrue(json.getMessage().startsWith(file.toString()), json.getMessage());
    }

    @Test
    void tinyCheckpointsCarryTheLlavaTemplate(@TempDir Path folder) throws Exception {
        new LlavaFamily().writeTiny(folder, new LlavaFamily().tinySizes().get(0), 1, false);
        String prompt = "<image>\nIs the square red? ";
        assertEquals("USER: " + prompt + " ASSISTANT:", ChatTemplateFiles.load(folder).render(prompt));
    }
}
