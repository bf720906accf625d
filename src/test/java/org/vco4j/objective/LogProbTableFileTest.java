package org.vco4j.objective;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogProbTableFileTest {
    /** One DPO pair, with a request DPO does not read. */
    private static final String DPO_PAIR = """
            {"samples": [
              {"id": "cat-on-mat", "requests": {
                "y|m":   {"policy": -10, "reference": -12, "tokens": 6},
                "y_l|m": {"policy": -15, "reference": -13, "tokens": 8},
                "y|none": {"policy": -9, "reference": -9, "tokens": 6}
              }}
            ]}
            """;

    @TempDir
    Path folder;

    private Path file(String json) throws IOException {
        Path file = folder.resolve("logps.json");
        Files.writeString(file, json);
        return file;
    }

    /** The message of the error reading {@code json} for {@code objective}. */
    private String error(String json, String objective) throws IOException {
        Path file = file(json);
        try (PointerScope scope = new PointerScope()) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> LogProbTableFile.read(file, Objectives.create(objective))).getMessage();
            assertTrue(message.startsWith(file.toString()), message);
            return message;
        }
    }

    @Test
    void readsTheRequestsTheObjectiveDeclares() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            LogProbTable table = LogProbTableFile.read(file(DPO_PAIR), Objectives.create("dpo"));
            assertEquals(1, table.batchSize());
        }
    }

    @Test
    void aMissingRequestNamesTheSampleAndTheRequest() throws IOException {
        String message = error(DPO_PAIR, "s-vco");
        assertTrue(message.contains("sample 0 ('cat-on-mat'): no entry for request 'y|m''"), message);
    }

    @Test
    void badFieldsAreNamedWithTheirSample() throws IOException {
        assertTrue(error(DPO_PAIR.replace("\"policy\": -15", "\"policy\": \"-15\""), "dpo")
                .contains("sample 0 ('cat-on-mat'), request 'y_l|m', field 'policy': must be a number"));
        assertTrue(error(DPO_PAIR.replace("\"reference\": -13", "\"reference\": 13"), "dpo")
                .contains("field 'reference': must be a summed log-probability"));
        assertTrue(error(DPO_PAIR.replace("\"requests\"", "\"swaped\": true, \"requests\""), "dpo").contains("unknown field 'swaped'"));
        assertTrue(error(DPO_PAIR.replace("\"y|none\"", "\"y|nothing\""), "dpo").contains("unknown condition 'nothing'"));
        assertTrue(error("{\"samples\": [", "dpo").contains("not valid JSON"));
    }
}
