package org.vco4j.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.data.world.Scenes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** {@code vco bench sweep} end to end on a tiny demo, and its choice rule. */
class DemoSweepTest {
    @Test
    void aTinySweepTrainsEverySettingAndValidatesOnUnseenScenes(@TempDir Path dir) throws Exception {
        DemoSettings settings = DemoReproducibilityTest.small(dir);
        DemoSweep.Outcome sweep = DemoSweep.run(settings, List.of("s-vco", "SFT"), new DemoSweep.Grid(List.of(5e-4, 1e-3), List.of(1, 2)));
        // The demo's order, whatever the order given; one base for both.
        assertEquals(List.of("SFT", "S-VCO"), sweep.methods().stream().map(DemoSweep.Result::method).toList());
        assertEquals(sweep.methods().get(0).base(), sweep.methods().get(1).base());
        DemoSweep.Result result = sweep.methods().get(1);
        assertEquals(4, result.rows().size());
        for (DemoSweep.Row row : result.rows()) {
            for (DemoReport.Column c : DemoReport.COLUMNS) {
                if (c.key().equals("chair/chair_i")) continue;
                Double v = row.metrics().get(c.key());
                assertNotNull(v, row.setting().label() + " lacks " + c.key());
                assertTrue(Double.isFinite(v), row.setting().label() + " " + c.key() + " = " + v);
            }
            assertTrue(Files.isDirectory(dir.resolve("runs").resolve(DemoSweep.runName(DemoSweep.method("S-VCO"), row.setting()))));
        }
        assertEquals(DemoSweep.choose(result.rows(), result.base().getOrDefault(DemoReport.FLUENCY, Double.NaN)), result.chosen());
        String md = Files.readString(result.markdown());
        assertTrue(md.contains(DemoSweep.CRITERION) && md.contains("| lr 5e-04, 1 steps") && md.contains("## SFT")
                && md.contains("## S-VCO") && md.contains("## Chosen"), md);
        for (var e : sweep.chosen().entrySet()) {
            assertTrue(md.contains(String.format(Locale.ROOT, "| %s | %.0e | %d | ", e.getKey(), e.getValue().learningRate(), e.getValue().steps())), md);
        }
        var validation = Scenes.read(dir.resolve("validation-world")).stream().filter(s -> s.split().equals("eval")).toList();
        assertFalse(validation.isEmpty());
        // The demo's own world is unchanged by the sweep: the same scenes as the world the demo generates.
        assertEquals(org.vco4j.data.world.WorldGenerator.scenes(DemoPipeline.worldSettings(settings.seed(), settings.images())),
                Scenes.read(dir.resolve("world")));
        assertNotEquals(Scenes.read(dir.resolve("world")), Scenes.read(dir.resolve("validation-world")));
        assertTrue(Files.isRegularFile(dir.resolve("validation-eval/base/pope/world_pope_adversarial.jsonl")));
    }

    private static DemoSweep.Row row(double lr, int steps, double neglect, double fluency) {
        return new DemoSweep.Row(new MethodSetting(lr, steps), Map.of("neglect/match_below_mismatch", neglect, DemoReport.FLUENCY, fluency));
    }

    @Test
    void theMostImageDrivenFluentSettingIsChosen() {
        // The best neglect score is collapsed (fluency 0.8): the next best fluent one wins; a tie goes to the more fluent.
        List<DemoSweep.Row> rows = List.of(row(1e-3, 10, 0.9, 0.8), row(5e-4, 10, 0.7, 0.95), row(1e-4, 10, 0.7, 1.0), row(1e-4, 20, 0.6, 1.0));
        assertEquals(Optional.of(new MethodSetting(1e-4, 10)), DemoSweep.choose(rows, 1.0));
        assertEquals(Optional.of(new MethodSetting(5e-4, 10)), DemoSweep.choose(List.of(row(5e-4, 10, 0.7, 1.0), row(1e-4, 10, 0.7, 1.0)), 1.0));
        // None fluent: the most fluent, ties to the higher neglect score.
        assertEquals(Optional.of(new MethodSetting(1e-4, 10)),
                DemoSweep.choose(List.of(row(1e-3, 10, 0.9, 0.5), row(1e-4, 10, 0.6, 0.7), row(5e-5, 10, 0.5, 0.7)), 1.0));
        // A base below 0.90 lowers the bar to its own fluency less 0.05: 0.80 qualifies against a base of 0.85.
        assertEquals(Optional.of(new MethodSetting(1e-3, 10)),
                DemoSweep.choose(List.of(row(1e-3, 10, 0.9, 0.80), row(1e-4, 10, 0.6, 0.85)), 0.85));
        assertEquals(0.90, DemoSweep.fluencyNeeded(0.95), 1e-12);
        assertEquals(0.80, DemoSweep.fluencyNeeded(0.85), 1e-12);
        assertEquals(Optional.empty(), DemoSweep.choose(List.of(row(1e-3, 10, Double.NaN, 0.5)), 1.0));
        assertTrue(DemoSweep.CRITERION.contains(String.format(Locale.ROOT, "%.2f", DemoReport.COLLAPSE_FLUENCY)));
    }

    @Test
    void perMethodSettingsDefaultToTheSharedOnes(@TempDir Path dir) {
        DemoSettings full = DemoSettings.full(dir, 0);
        // The full demo trains every method at its swept setting; the quick one at the shared default.
        for (Demo.Method m : Demo.METHODS) assertEquals(DemoSettings.SWEPT.get(m.name()), full.method(m.name()), m.name());
        DemoSettings quick = DemoSettings.quick(dir, 0);
        for (Demo.Method m : Demo.METHODS) assertEquals(new MethodSetting(5e-4, 12), quick.method(m.name()));
        DemoSettings tuned = full.withMethods(Map.of()).withMethods(Map.of("S-VCO", new MethodSetting(1e-4, 300)));
        assertEquals(new MethodSetting(1e-4, 300), tuned.method("S-VCO"));
        assertEquals(new MethodSetting(5e-4, 150), tuned.method("VCO"));
        assertThrows(IllegalArgumentException.class, () -> DemoSweep.method("nope"));
        assertEquals(Demo.METHODS, DemoSweep.methods(List.of("all")));
        assertEquals(List.of(DemoSweep.method("dpo"), DemoSweep.method("seva")), DemoSweep.methods(List.of("SeVa", "dpo", "DPO")));
        assertThrows(IllegalArgumentException.class, () -> DemoSweep.methods(List.of("s-vco", "nope")));
        assertThrows(IllegalArgumentException.class, () -> new DemoSweep.Grid(List.of(), List.of(1)));
        assertThrows(IllegalArgumentException.class, () -> new DemoSweep.Grid(List.of(-1.0), List.of(1)));
    }
}
