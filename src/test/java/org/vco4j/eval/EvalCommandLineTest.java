package org.vco4j.eval;

import static org.vco4j.testing.Cli.vco;
import org.vco4j.testing.Cli.Run;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.cli.VcoCommand;
import org.vco4j.testing.TinyWorld;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code vco eval} as a user runs it. */
class EvalCommandLineTest {

    @Test
    void popeWritesATableAndJson(@TempDir Path dir) throws Exception {
        Path world = TestWorld.write(dir.resolve("world"));
        Path out = dir.resolve("results/pope.json");
        Run run = vco("eval", "world", "pope", "--model", TinyWorld.checkpoint().toString(), "--data", world.toString(),
                "--out", out.toString(), "--limit", "2", "--seed", "5");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("pope/adversarial") && run.out().contains("yes_ratio"), run.out());

        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertEquals(5, json.get("seed").asLong());
        JsonNode result = json.get("results").get(0);
        assertEquals("pope", result.get("benchmark").asText());
        double accuracy = result.get("metrics").get("pope/random/accuracy").asDouble();
        assertTrue(accuracy >= 0 && accuracy <= 1);
        assertEquals(8, result.get("metrics").get("pope/random/questions").asInt());
        assertEquals(24, result.get("details").size());
        try (var files = Files.list(out.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void badInputIsOneLineOfError(@TempDir Path dir) throws Exception {
        Path world = TestWorld.write(dir.resolve("world"));
        Run unknown = vco("eval", "world", "vqa", "--model", TinyWorld.checkpoint().toString(), "--data", world.toString());
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown benchmark 'vqa'"), unknown.err());

        Run noWorld = vco("eval", "world", "pope", "--model", TinyWorld.checkpoint().toString(), "--data", dir.resolve("missing").toString());
        assertEquals(2, noWorld.exitCode());
        assertTrue(noWorld.err().contains("scenes.jsonl"), noWorld.err());
    }
}
