package org.vco4j.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vco4j.data.TestData;
import org.vco4j.testing.Cli;
import org.vco4j.testing.TinyWorld;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The corpus of malformed inputs, written by the test itself so it grows with every new reader: each case
 * runs a command as a user would and expects exit 2, exactly one line on standard error that starts with
 * {@code error:} and names what is wrong, and nothing left behind (no output, no temporary file).
 */
class MalformedInputTest {
    @TempDir
    static Path root;
    static Path model;

    /** What a case writes into its folder and the command it then runs there. */
    interface Case {
        String[] prepare(Path folder) throws IOException;
    }

    @BeforeAll
    static void model() {
        model = TinyWorld.checkpoint();
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        // Training data lines: every one is refused before the model loads.
        String good = "{\"id\": \"p\", \"images\": [\"m.png\"], \"prompt\": \"Q?\", \"chosen\": \"yes\", \"rejected\": \"no\"}";
        cases.add(train("non-UTF-8 bytes", bytes(0xff, 0xfe, '{', '}', '\n'), "not valid UTF-8"));
        cases.add(train("JSON nested 5000 deep", ("{\"id\": \"a\", \"prompt\": " + "[".repeat(5000) + "]".repeat(5000) + "}\n")
                .getBytes(StandardCharsets.UTF_8), "nesting depth"));
        cases.add(train("two values on a line", (good + " {}\n").getBytes(StandardCharsets.UTF_8), "more than one value"));
        cases.add(train("an unknown field", good.replace("}", ", \"label\": 1}\n").getBytes(StandardCharsets.UTF_8),
                "unknown field \"label\""));
        cases.add(train("a duplicate id", (good + "\n" + good + "\n").getBytes(StandardCharsets.UTF_8), "duplicate id 'p'"));
        cases.add(train("an empty file", new byte[0], "no samples"));
        cases.add(train("an image outside the data folder", good.replace("m.png", "../outside.png").getBytes(StandardCharsets.UTF_8),
                "field \"images\"[0]"));
        cases.add(train("a missing image", good.replace("m.png", "missing.png").getBytes(StandardCharsets.UTF_8),
                "does not exist"));
        cases.add(Arguments.of("train: a truncated PNG", (Case) folder -> {
            byte[] png = Files.readAllBytes(TestData.png(folder.resolve("whole.png"), 64, 64, 1));
            Files.write(folder.resolve("m.png"), Arrays.copyOf(png, png.length / 2));
            return trainOn(folder, good);
        }, "corrupt or truncated PNG data"));
        cases.add(train("a prompt longer than the model takes", good.replace("\"Q?\"", "\"" + "red ".repeat(2100) + "\"")
                .getBytes(StandardCharsets.UTF_8), "exceed the model's 2048"));
        cases.add(Arguments.of("train: text saved as .png", (Case) folder -> {
            Files.writeString(folder.resolve("m.png"), "not an image");
            return trainOn(folder, good);
        }, "not a recognisable image"));
        // Settings files.
        cases.add(Arguments.of("train: an unknown YAML key", (Case) folder -> {
            Path config = Files.writeString(folder.resolve("run.yaml"), "objective: dpo\nlearning_rat: 0.1\n");
            String[] args = trainOn(folder, good);
            String[] withConfig = Arrays.copyOf(args, args.length + 2);
            withConfig[args.length] = "--config";
            withConfig[args.length + 1] = config.toString();
            return withConfig;
        }, "unknown key 'learning_rat'"));
        // Output paths: refused before the model loads, no temporary file left next to them.
        cases.add(Arguments.of("score: --out is a folder", (Case) folder -> {
            Path requests = Files.writeString(folder.resolve("requests.jsonl"), "{\"id\": \"r\", \"prompt\": \"Hi\", \"response\": \"yes\"}\n");
            Files.createDirectories(folder.resolve("out"));
            return new String[] {"score", "--model", model.toString(), "--data", requests.toString(), "--out", folder.resolve("out").toString()};
        }, "is a folder"));
        cases.add(Arguments.of("score: two placeholders, one image", (Case) folder -> {
            TestData.png(folder.resolve("m.png"), 8, 8, 1);
            Path requests = Files.writeString(folder.resolve("requests.jsonl"),
                    "{\"id\": \"r\", \"images\": [\"m.png\"], \"prompt\": \"<image> and <image>\", \"response\": \"yes\"}\n");
            return new String[] {"score", "--model", model.toString(), "--data", requests.toString(), "--out", folder.resolve("scores.jsonl").toString()};
        }, "placeholder"));
        cases.add(Arguments.of("score: a prompt longer than the model takes", (Case) folder -> {
            Path requests = Files.writeString(folder.resolve("requests.jsonl"),
                    "{\"id\": \"r\", \"prompt\": \"" + "red ".repeat(2100) + "\", \"response\": \"yes\"}\n");
            return new String[] {"score", "--model", model.toString(), "--data", requests.toString(), "--out", folder.resolve("scores.jsonl").toString()};
        }, "request 'r': 2"));
        // Published datasets: refused at the first bad record, no samples, images or summary written.
        cases.add(Arguments.of("data import: a SeVa record without its image", (Case) folder -> {
            TestData.png(folder.resolve("1.jpg"), 8, 8, 1);
            Files.writeString(folder.resolve("seva.json"), "[{\"chosen\": \"A\", \"reject\": \"B\", \"question\": \"Q?\", \"image_id\": \"1\"},"
                    + " {\"chosen\": \"A\", \"reject\": \"B\", \"question\": \"Q?\"}]");
            return importArgs(folder, "seva", "seva.json");
        }, "seva.json: record 1: missing field \"image_id\""));
        cases.add(Arguments.of("data import: malformed JSON in a list", (Case) folder -> {
            Files.writeString(folder.resolve("mdpo.json"), "[{\"img_path\": \"a.png\",\n \"prompt\": }]");
            return importArgs(folder, "mdpo", "mdpo.json");
        }, "mdpo.json: line 2: malformed JSON"));
        // The demo's long commands: refused before any world is generated.
        cases.add(Arguments.of("bench sweep: an unknown method", (Case) folder -> new String[] {"bench", "sweep", "--objective", "nope",
                "--lr", "1e-3", "--steps", "1", "--quick", "--out", folder.resolve("out").toString()}, "--objective: 'nope' is none of the demo's methods"));
        cases.add(Arguments.of("bench sweep: a negative learning rate", (Case) folder -> new String[] {"bench", "sweep", "--objective", "s-vco",
                "--lr=1e-3,-1e-3", "--steps", "1", "--quick", "--out", folder.resolve("out").toString()}, "--lr: -0.001 is not a learning rate"));
        cases.add(Arguments.of("bench ablations: no seed", (Case) folder -> new String[] {"bench", "ablations", "--seeds", "0", "--quick",
                "--out", folder.resolve("out").toString()}, "--seeds must be ≥ 1"));
        cases.add(Arguments.of("model info: not a checkpoint", (Case) folder -> new String[] {"model", "info", "--model", folder.toString()},
                "config.json"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedInOneLineWithNothingLeftBehind(String name, Case input, String expected) throws IOException {
        Path folder = Files.createDirectories(root.resolve(name.replaceAll("[^A-Za-z0-9]+", "-")));
        String[] args = input.prepare(folder);
        List<Path> before = listing(folder);
        Cli.Run run = Cli.vco(args);
        assertEquals(2, run.exitCode(), run.err());
        List<String> lines = run.err().lines().filter(line -> !line.isBlank()).toList();
        assertEquals(1, lines.size(), "one line: " + run.err());
        assertTrue(lines.get(0).startsWith("error: ") && lines.get(0).contains(expected), run.err());
        assertTrue(!run.err().contains("\tat "), "no stack trace: " + run.err());
        List<Path> after = listing(folder);
        after.removeAll(before);
        assertEquals(List.of(), after, "left behind");
    }

    private static Arguments train(String name, byte[] data, String expected) {
        return Arguments.of("train: " + name, (Case) folder -> {
            TestData.png(folder.resolve("m.png"), 8, 8, 1);
            Files.write(folder.resolve("data.jsonl"), data);
            return trainArgs(folder);
        }, expected);
    }

    private static String[] trainOn(Path folder, String line) throws IOException {
        Files.writeString(folder.resolve("data.jsonl"), line + "\n");
        return trainArgs(folder);
    }

    private static String[] trainArgs(Path folder) {
        return new String[] {"train", "--objective", "dpo", "--model", model.toString(), "--data", folder.resolve("data.jsonl").toString(),
                "--out", folder.resolve("run").toString(), "--max-steps", "1"};
    }

    private static String[] importArgs(Path folder, String format, String file) {
        return new String[] {"data", "import", "--format", format, "--in", folder.resolve(file).toString(),
                "--out", folder.resolve("out/data.jsonl").toString()};
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (byte) values[i];
        return out;
    }

    private static List<Path> listing(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return new ArrayList<>(files.toList());
        }
    }
}
