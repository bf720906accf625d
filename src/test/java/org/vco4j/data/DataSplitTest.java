package org.vco4j.data;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataSplitTest {
    @TempDir
    Path folder;
    List<Sample> samples;

    @BeforeEach
    void samples() throws IOException {
        Path m = TestData.png(folder.resolve("m.png"), 2, 2, 0);
        samples = new ArrayList<>();
        for (int i = 0; i < 100; i++) samples.add(Sample.preferencePair("s" + i, m, "Q?", "yes", List.of("no")));
    }

    private static Set<String> ids(List<Sample> samples) {
        Set<String> ids = new HashSet<>();
        samples.forEach(s -> ids.add(s.id()));
        return ids;
    }

    @Test
    void splitIsExactDeterministicAndKeepsOrder() {
        DataSplit split = DataSplit.of(samples, 0.2, 5);
        assertEquals(20, split.validation().size());
        assertEquals(80, split.train().size());
        assertEquals(split, DataSplit.of(samples, 0.2, 5));
        Set<String> all = ids(split.train());
        all.addAll(ids(split.validation()));
        assertEquals(ids(samples), all);
        List<Sample> inOrder = new ArrayList<>(samples);
        inOrder.retainAll(split.train());
        assertEquals(inOrder, split.train(), "the input order is kept");
        assertNotEquals(ids(split.validation()), ids(DataSplit.of(samples, 0.2, 6).validation()), "the seed matters");
    }

    @Test
    void aSamplesSideDependsOnItsIdNotOnTheFileOrder() {
        List<Sample> shuffled = new ArrayList<>(samples);
        Collections.shuffle(shuffled, new Random(1));
        assertEquals(ids(DataSplit.of(samples, 0.1, 5).validation()), ids(DataSplit.of(shuffled, 0.1, 5).validation()));
        Set<String> larger = ids(DataSplit.of(samples, 0.3, 5).validation());
        assertTrue(larger.containsAll(ids(DataSplit.of(samples, 0.1, 5).validation())), "a larger fraction extends the set");
    }

    @Test
    void neitherSideIsEmptiedByRounding() {
        assertEquals(0, DataSplit.of(samples, 0.0, 5).validation().size());
        assertEquals(1, DataSplit.of(samples, 0.001, 5).validation().size());
        assertEquals(1, DataSplit.of(samples, 0.999, 5).train().size());
        List<Sample> one = samples.subList(0, 1);
        assertEquals(one, DataSplit.of(one, 0.5, 5).train());
    }

    @Test
    void badFractionsAreRefused() {
        for (double bad : new double[] {-0.1, 1.0, Double.NaN}) {
            String message = assertThrows(IllegalArgumentException.class, () -> DataSplit.of(samples, bad, 5)).getMessage();
            assertTrue(message.startsWith("val_fraction must be in [0, 1)"), message);
        }
        assertThrows(IllegalArgumentException.class, () -> DataSplit.of(List.of(), 0.1, 5));
    }
}
