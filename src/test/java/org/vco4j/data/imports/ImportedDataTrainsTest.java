package org.vco4j.data.imports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;
import org.vco4j.testing.Cli;
import org.vco4j.testing.TinyWorld;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.vco4j.data.imports.ImportFixtures.*;

/** What an import writes, `vco train` reads as it is: S-VCO on imported MVC tuples, DPO on imported SeVa pairs. */
class ImportedDataTrainsTest {
    @TempDir
    Path dir;

    @Test
    void sVcoTrainsOnImportedMvcTuples() throws IOException {
        png(dir.resolve("mvc/a.png"), Color.RED);
        png(dir.resolve("mvc/b.png"), Color.BLUE);
        ArrayNode list = Json.MAPPER.createArrayNode();
        list.add(mvc("", "a.png", "b.png", "What colour is the ball?", "The ball is red.", "The ball is blue."));
        list.add(mvc("", "b.png", "a.png", "What colour is the ball?", "The ball is blue.", "The ball is red."));
        Path out = dir.resolve("out/mvc.jsonl");
        importOk("s-vco", write(dir.resolve("mvc/mvc.json"), list), null, out);
        train("s-vco", out);
    }

    @Test
    void dpoTrainsOnImportedSevaPairs() throws IOException {
        jpeg(dir.resolve("images/0a1b.jpg"), Color.RED);
        jpeg(dir.resolve("images/0a1c.jpg"), Color.BLUE);
        ArrayNode list = Json.MAPPER.createArrayNode();
        list.addObject().put("chosen", "A red ball.").put("reject", "A red apple.").put("question", "What is shown?").put("image_id", "0a1b");
        list.addObject().put("chosen", "A blue square.").put("reject", "A red circle.").put("question", "What is shown?").put("image_id", "0a1c");
        Path out = dir.resolve("out/seva.jsonl");
        importOk("seva", write(dir.resolve("seva.json"), list), dir.resolve("images"), out);
        train("dpo", out);
    }

    private void train(String objective, Path data) throws IOException {
        Path run = dir.resolve("run-" + objective);
        Cli.Run train = Cli.vco("train", "--objective", objective, "--model", TinyWorld.checkpoint().toString(), "--data", data.toString(),
                "--out", run.toString(), "--batch-size", "2", "--max-steps", "1", "--lora-r", "4", "--lora-alpha", "8", "--seed", "7");
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(Files.readString(run.resolve("metrics.jsonl")).contains("\"loss\""));
    }
}
