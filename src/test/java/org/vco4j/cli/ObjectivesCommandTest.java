package org.vco4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjectivesCommandTest {
    /** One DPO pair: ρ(y|m) = 2, ρ(y_l|m) = −2, so z = 0.1·4 = 0.4 and the loss is ls(0.4) = 0.5130152524. */
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

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new ObjectivesCommand());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int exitCode = command.execute(arguments);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private Path file(String json) throws IOException {
        Path file = folder.resolve("logps.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void listsEveryObjectiveWithItsRequestsAndDefaults() {
        Run run = run();
        assertEquals(0, run.exitCode());
        for (String name : new String[] {"sft", "dpo", "mdpo", "visdpo", "vco", "s-vco", "ic-vco", "jompo", "seva", "symmpo"}) {
            assertTrue(run.out().contains("\n" + name + " ") || run.out().startsWith(name + " "), name);
        }
        assertTrue(run.out().contains("y|M,x^, y'|M,x^, y'|M,x^', y|M,x^', y|m[mask]"), run.out());
        assertTrue(run.out().contains("gamma=0.3"), run.out());
        assertTrue(run.out().contains("beta=0.05"), "JoMPO's beta");
    }

    @Test
    void showsAFormulaWithTheRequestsItsSettingsImply() {
        Run run = run("show", "s-vco");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("(eq. 7)"), run.out());
        assertTrue(run.out().contains("requests (6)"), run.out());

        Run ablated = run("show", "ic-vco", "--set", "single_branch=false");
        assertTrue(ablated.out().contains("requests (4)  y|M,x^, y'|M,x^, y'|M,x^', y|M,x^'"), ablated.out());
        assertTrue(ablated.out().contains("single_branch=false"), ablated.out());
        assertTrue(ablated.out().contains("default true"), ablated.out());
    }

    @Test
    void anUnknownObjectiveOrSettingIsAUsageError() {
        Run unknown = run("show", "svco");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("known: sft, dpo, mdpo, visdpo, vco, s-vco, ic-vco, jompo, seva, symmpo"), unknown.err());

        Run badKey = run("show", "dpo", "--set", "temperature=1");
        assertEquals(2, badKey.exitCode());
        assertTrue(badKey.err().contains("known: beta, label_smoothing"), badKey.err());
    }

    @Test
    void evaluatesLossAndMetricsOfAJsonTable() throws IOException {
        Run run = run("eval", "dpo", "--logps", file(DPO_PAIR).toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("loss       0.5130152524"), run.out());
        assertTrue(run.out().matches("(?s).*rewards/margins\\s+0\\.4\\n.*"), run.out());
        assertTrue(run.out().matches("(?s).*logps/y_l\\|m\\s+-15\\n.*"), run.out());

        // β = 0.2 doubles the margin: ls(0.8) = 0.3711006659
        Run sharper = run("eval", "dpo", "--logps", file(DPO_PAIR).toString(), "--set", "beta=0.2");
        assertTrue(sharper.out().contains("loss       0.3711006659"), sharper.out());
    }

    @Test
    void theSwapFlagDecidesTheAnchorPosition() throws IOException {
        String sample = """
                {"id": "%s", "swapped": %s, "requests": {
                  "y|M,x^":  {"policy": -16, "reference": -20, "tokens": 9},
                  "y'|M,x^": {"policy": -26, "reference": -20, "tokens": 9},
                  "y'|M,x^'": {"policy": -20, "reference": -20, "tokens": 9},
                  "y|M,x^'": {"policy": -18, "reference": -20, "tokens": 9}}}""";
        Path unswapped = file("{\"samples\": [" + sample.formatted("a", "false") + "]}");
        Run first = run("eval", "ic-vco", "--logps", unswapped.toString(), "--set", "single_branch=false");
        assertEquals(0, first.exitCode(), first.err());
        // the direction (z = 1, right) is anchored to the first image, its mirror (z = -0.2, wrong) to the second
        assertTrue(first.out().matches("(?s).*multi/accuracies_first\\s+1\\n.*"), first.out());
        assertTrue(first.out().matches("(?s).*multi/accuracies_second\\s+0\\n.*"), first.out());

        Path swapped = file("{\"samples\": [" + sample.formatted("a", "true") + "]}");
        Run second = run("eval", "ic-vco", "--logps", swapped.toString(), "--set", "single_branch=false");
        assertTrue(second.out().matches("(?s).*multi/accuracies_first\\s+0\\n.*"), second.out());
        assertTrue(second.out().matches("(?s).*multi/accuracies_second\\s+1\\n.*"), second.out());
    }

    @Test
    void aMissingRequestNamesTheSampleAndTheRequest() throws IOException {
        Run run = run("eval", "s-vco", "--logps", file(DPO_PAIR).toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("sample 0 ('cat-on-mat'): no entry for request 'y|m''"), run.err());
    }

    @Test
    void anUnreadableTableIsAnErrorNotAUsageError() throws IOException {
        // The table's own messages are tested in objective.LogProbTableFileTest.
        Run broken = run("eval", "dpo", "--logps", file("{\"samples\": [").toString());
        assertEquals(1, broken.exitCode());
        assertTrue(broken.err().contains("not valid JSON"), broken.err());
    }

    @Test
    void anEmptyTokenMaskNamesTheSample() throws IOException {
        String empty = DPO_PAIR.replace("\"tokens\": 8", "\"tokens\": 0");
        Run run = run("eval", "dpo", "--logps", file(empty).toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("sample 'cat-on-mat' (index 0)"), run.err());
    }
}
