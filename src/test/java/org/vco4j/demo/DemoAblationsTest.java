package org.vco4j.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.data.SampleReader;
import org.vco4j.objective.Objective;
import org.vco4j.objective.Objectives;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** {@code vco bench ablations} end to end on a tiny demo over two seeds: every variant trained, evaluated and tabled. */
class DemoAblationsTest {
    /** Two seeds of a tiny demo over one variant of each kind of extra data and flags (the whole list takes minutes). */
    @Test
    void variantsRunOverTwoSeedsAndAggregate(@TempDir Path dir) throws Exception {
        DemoSettings a = new DemoSettings(dir.resolve("seed-5"), 5, 24, 4, 8, 2, 1, 2, 1e-3, 5e-4, 4, 2);
        DemoSettings b = new DemoSettings(dir.resolve("seed-6"), 6, 24, 4, 8, 2, 1, 2, 1e-3, 5e-4, 4, 2);
        List<DemoAblations.Variant> variants = DemoAblations.VARIANTS.stream()
                .filter(v -> List.of("s-vco-filtered", "ic-vco-neither", "seva-weak").contains(v.id())).toList();
        DemoAblations.Result result = DemoAblations.run(dir, List.of(a, b), "tiny", variants);
        assertEquals(List.of("base", "s-vco-filtered", "ic-vco-neither", "seva-weak"), List.copyOf(result.values().keySet()));
        for (String id : List.of("base", "s-vco-filtered", "ic-vco-neither")) {
            List<Double> neglect = result.values().get(id).get("neglect/match_below_mismatch");
            assertEquals(2, neglect.size(), id);
            for (double x : neglect) assertTrue(x >= 0 && x <= 1, id + " neglect " + x);
        }
        assertTrue(Files.isDirectory(a.out().resolve("runs/ablation-ic-vco-neither/model")));
        // The tower filter kept some tuples, fewer than all, from its own embeddings file.
        int kept = SampleReader.read(a.out().resolve("data/contrast-filtered.jsonl")).size();
        int all = SampleReader.read(a.out().resolve("data/contrast.jsonl")).size();
        assertTrue(kept > 0 && kept < all, kept + " of " + all);
        assertTrue(Files.isRegularFile(a.out().resolve("data/tower-embeddings.safetensors")));
        String md = Files.readString(result.markdown());
        assertTrue(md.contains("| S-VCO data filter | S-VCO, tower-filtered contrasts"), md);
        assertTrue(md.contains("seed 5: the tower filter kept " + kept + " of " + all + " tuples"), md);
        if (result.values().get("seva-weak").get("neglect/match_below_mismatch").get(0).isNaN()) {
            assertTrue(md.contains("seed 5: seva-weak skipped"), "a skipped variant is noted: " + md);
        }
        assertFalse(md.contains("one-sided VCO"), "only the variants run are tabled");
        assertTrue(Files.isRegularFile(dir.resolve("ablations.json")));
        assertTrue(result.table().contains("w/o VCDist and anchors"));
    }

    /** Every variant's settings are the objective's own and change what it computes (a switched-off term reads nothing). */
    @Test
    void oneCommonSettingReplacesEveryMethodsOwn(@TempDir Path dir) {
        MethodSetting common = new MethodSetting(5e-4, 150);
        List<DemoSettings> own = DemoAblations.perSeed(dir, 2, false, null);
        List<DemoSettings> shared = DemoAblations.perSeed(dir, 2, false, common);
        assertEquals(2, shared.size());
        assertEquals(1, shared.get(1).seed());
        for (Demo.Method m : Demo.METHODS) {
            assertEquals(DemoSettings.SWEPT.get(m.name()), own.get(0).method(m.name()), m.name());
            assertEquals(common, shared.get(0).method(m.name()), m.name());
            assertEquals(common, shared.get(1).method(m.name()), m.name());
        }
        assertThrows(IllegalArgumentException.class, () -> DemoAblations.perSeed(dir, 0, false, common));
    }

    @Test
    void everyVariantsSettingsSwitchSomethingOff() {
        for (DemoAblations.Variant v : DemoAblations.VARIANTS) {
            Objective variant = Objectives.create(v.objective());
            v.settings().forEach(variant::set);
            assertFalse(variant.requests().isEmpty(), v.id());
            if (v.settings().isEmpty()) continue;
            Objective full = Objectives.create(v.objective());
            boolean differs = !full.requests().equals(variant.requests())
                    || v.settings().entrySet().stream().anyMatch(e -> !full.hyperparameters().get(e.getKey()).equals(e.getValue()));
            assertTrue(differs, v.id());
        }
        assertNotEquals(Objectives.create("s-vco").requests().size(),
                Objectives.create("s-vco").set("beta2", "0").set("beta4", "0").requests().size(), "attend only reads fewer requests");
    }

    @Test
    void everyCellShowsAVariantAndEveryVariantHasData() {
        List<String> ids = DemoAblations.ids(DemoAblations.VARIANTS);
        for (DemoAblations.Cell cell : DemoAblations.CELLS) assertTrue(ids.contains(cell.variant()), cell.variant());
        for (DemoAblations.Variant v : DemoAblations.VARIANTS) {
            assertTrue(List.of("contrast", "contrast-filtered", "seva", "seva-weak", "seva-medium").contains(v.data()), v.data());
            if (v.data().startsWith("seva")) assertTrue(DemoAblations.SEVA_AUGMENTATIONS.containsKey(v.data()), v.data());
            assertTrue(Demo.METHODS.stream().anyMatch(m -> m.name().equals(v.method())), v.method());
        }
        assertEquals(0.5, TowerFilter.quantile(List.of(0.0, 0.5, 1.0), 0.5));
        assertEquals(Map.of("vcdist", "false"), DemoAblations.VARIANTS.stream().filter(v -> v.id().equals("ic-vco-no-vcdist"))
                .findFirst().orElseThrow().settings());
    }
}
