package org.vco4j.cli;

import static org.vco4j.testing.Cli.vco;
import org.vco4j.testing.Cli.Run;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.testing.TinyWorld;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The model, score and generate commands end to end, as a user runs them. */
class ModelCliTest {

    @Test
    void interleaveByItsModelName(@TempDir Path dir) throws Exception {
        Path byModel = dir.resolve("a");
        Path bySize = dir.resolve("b");
        assertEquals(0, vco("model", "init", "--family", "llava-interleave", "--size", "tiny", "--out", byModel.toString()).exitCode());
        assertEquals(0, vco("model", "init", "--family", "llava", "--size", "tiny-interleave", "--out", bySize.toString()).exitCode());
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "chat_template.json")) {
            assertArrayEquals(Files.readAllBytes(bySize.resolve(file)), Files.readAllBytes(byModel.resolve(file)), file);
        }
        Run wrong = vco("model", "init", "--family", "llava-interleave", "--size", "tiny-64", "--out", dir.resolve("c").toString());
        assertEquals(2, wrong.exitCode());
        assertTrue(wrong.err().contains("--size tiny-64") && wrong.err().contains("[tiny]"), wrong.err());
    }

    @Test
    void initGenerateAndScore(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("tiny");
        Run init = vco("model", "init", "--family", "llava", "--size", "tiny", "--seed", "3", "--out", model.toString());
        assertEquals(0, init.exitCode(), init.err());
        assertTrue(Files.isRegularFile(model.resolve("model.safetensors")));

        Run again = vco("model", "init", "--out", model.toString());
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("exists") && again.err().contains("--force"), again.err());

        String[] generate = {"generate", "--model", model.toString(), "--image", TinyWorld.redCircle().toString(),
                "--prompt", "Describe the image.", "--max-new-tokens", "8"};
        Run first = vco(generate);
        Run second = vco(generate);
        assertEquals(0, first.exitCode(), first.err());
        assertFalse(first.out().isBlank());
        assertEquals(first.out(), second.out());
        assertTrue(first.err().contains("time to first token") && first.err().contains("tokens/s")
                && first.err().contains("GFLOP/s") && first.err().contains("roofline"), first.err());

        Path images = dir.resolve("data/img");
        Files.createDirectories(images);
        Files.copy(TinyWorld.redCircle(), images.resolve("red.png"));
        Path data = dir.resolve("data/requests.jsonl");
        Files.writeString(data, String.join("\n",
                "{\"id\": \"a\", \"images\": [\"img/red.png\"], \"prompt\": \"<image>\\nDescribe the image.\", \"response\": \"a red circle\"}",
                "{\"id\": \"b\", \"prompt\": \"Describe the image.\", \"response\": \"a red circle\", \"mask\": [[2, 5]]}", ""));
        Path out = dir.resolve("scores.jsonl");
        Run score = vco("score", "--model", model.toString(), "--data", data.toString(), "--out", out.toString(), "--emit-ids");
        assertEquals(0, score.exitCode(), score.err());
        assertTrue(score.err().contains("scored 2 requests") && score.err().contains("requests/s")
                && score.err().contains("GFLOP/s"), score.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(2, lines.size());
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode node = json.readTree(line);
            double logp = node.get("logp").asDouble();
            assertTrue(Double.isFinite(logp) && logp <= 0, line);
            assertTrue(node.get("input_ids").isArray() && node.get("response_positions").isArray(), line);
        }
        JsonNode masked = json.readTree(lines.get(1));
        assertEquals(1, masked.get("tokens").asInt(), "the mask [2, 5) covers the single word 'red'");
        assertEquals(1, masked.get("response_positions").size());
    }

    @Test
    void badScoreInputIsNamedAndWritesNothing(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("requests.jsonl");
        Path out = dir.resolve("scores.jsonl");
        String model = TinyWorld.checkpoint().toString();
        String good = "{\"id\": \"a\", \"prompt\": \"Hi\", \"response\": \"yes\"}";

        Files.writeString(data, good + "\n{\"id\": \"b\", \"prompt\": \"Hi\", \"response\": \"yes\", \"colour\": 1}\n");
        Run unknown = vco("score", "--model", model, "--data", data.toString(), "--out", out.toString());
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("requests.jsonl:2") && unknown.err().contains("colour"), unknown.err());

        Files.writeString(data, good + "\n{\"id\": \"b\", \"prompt\": \"Hi\"\n");
        Run malformed = vco("score", "--model", model, "--data", data.toString(), "--out", out.toString());
        assertTrue(malformed.err().contains("requests.jsonl:2") && malformed.err().contains("malformed JSON"), malformed.err());

        Files.writeString(data, "{\"id\": \"a\", \"images\": [\"../secret.png\"], \"prompt\": \"<image>\", \"response\": \"x\"}\n");
        Run escape = vco("score", "--model", model, "--data", data.toString(), "--out", out.toString());
        assertTrue(escape.err().contains("requests.jsonl:1") && escape.err().contains("escapes"), escape.err());

        Files.writeString(data, "{\"id\": \"a\", \"images\": [\"missing.png\"], \"prompt\": \"<image>\", \"response\": \"x\"}\n");
        Run missing = vco("score", "--model", model, "--data", data.toString(), "--out", out.toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("missing.png"), missing.err());

        Files.write(dir.resolve("corrupt.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Files.writeString(data, "{\"id\": \"a\", \"images\": [\"corrupt.png\"], \"prompt\": \"<image>\", \"response\": \"x\"}\n");
        Run corrupt = vco("score", "--model", model, "--data", data.toString(), "--out", out.toString());
        assertEquals(2, corrupt.exitCode());
        assertTrue(corrupt.err().contains("corrupt.png"), corrupt.err());

        assertFalse(Files.exists(out), "a failed run must not leave an output file");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary file left behind");
        }
    }

    @Test
    void unknownDeviceAndModelFolderAreNamed() {
        Run device = vco("model", "info", "--model", TinyWorld.checkpoint().toString(), "--device", "tpu");
        assertEquals(2, device.exitCode());
        assertTrue(device.err().contains("--device tpu"), device.err());
        Run folder = vco("model", "info", "--model", "/nonexistent/ckpt");
        assertTrue(folder.err().contains("/nonexistent/ckpt"), folder.err());
    }
}
