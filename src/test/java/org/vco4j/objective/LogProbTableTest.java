package org.vco4j.objective;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.vco4j.request.Request;
import org.vco4j.tensor.Tensors;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogProbTableTest {
    private static final Request CHOSEN = Request.parse("y|m");
    private static final Request REJECTED = Request.parse("y_l|m");

    private static LogProbTable dpoTable(Objective dpo) {
        return LogProbTable.builder(dpo, List.of("a", "b"))
                .put(CHOSEN, Tensors.floats(-1, -2).requires_grad_(true), Tensors.floats(-1.5f, -2.5f).requires_grad_(true), Tensors.longs(3, 4))
                .put(REJECTED, Tensors.floats(-3, -4), Tensors.floats(-3, -4), Tensors.longs(5, 6))
                .build();
    }

    @Test
    void readingAnUndeclaredRequestNamesItAndTheObjective() {
        try (PointerScope scope = new PointerScope()) {
            LogProbTable table = dpoTable(Objectives.create("dpo"));
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> table.policy(Request.parse("y|none")));
            assertTrue(error.getMessage().contains("'dpo'") && error.getMessage().contains("'y|none'"), error.getMessage());
        }
    }

    @Test
    void recordsWhatWasRead() {
        try (PointerScope scope = new PointerScope()) {
            LogProbTable table = dpoTable(Objectives.create("dpo"));
            assertEquals(Set.of(), table.readRequests());
            table.tokenCounts(REJECTED);
            assertEquals(Set.of(REJECTED), table.readRequests());
        }
    }

    @Test
    void keepsPolicyGradientsAndDetachesTheReference() {
        try (PointerScope scope = new PointerScope()) {
            LogProbTable table = dpoTable(Objectives.create("dpo"));
            assertTrue(table.policy(CHOSEN).requires_grad());
            assertFalse(table.reference(CHOSEN).requires_grad());
            assertEquals(0.5f, Tensors.toFloatArray(table.logRatio(CHOSEN))[1], 1e-6);
            assertEquals("b", table.sampleId(1));
            assertFalse(table.swapped(1));
        }
    }

    @Test
    void refusesMissingUndeclaredAndMisshapedScores() {
        Objective dpo = Objectives.create("dpo");
        try (PointerScope scope = new PointerScope()) {
            Tensor pair = Tensors.floats(-1, -2);
            Tensor counts = Tensors.longs(1, 1);
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> LogProbTable.builder(dpo, List.of("a", "b")).put(CHOSEN, pair, pair, counts).build());
            assertTrue(missing.getMessage().contains("y_l|m"), missing.getMessage());
            IllegalArgumentException undeclared = assertThrows(IllegalArgumentException.class,
                    () -> LogProbTable.builder(dpo, List.of("a", "b")).put(Request.parse("y|m'"), pair, pair, counts));
            assertTrue(undeclared.getMessage().contains("y|m'"), undeclared.getMessage());
            IllegalArgumentException misshaped = assertThrows(IllegalArgumentException.class,
                    () -> LogProbTable.builder(dpo, List.of("a", "b", "c")).put(CHOSEN, pair, pair, counts));
            assertTrue(misshaped.getMessage().contains("expected [3]"), misshaped.getMessage());
            assertThrows(IllegalArgumentException.class, () -> LogProbTable.builder(dpo, List.of("a")).swapped(new boolean[2]));
        }
    }

    @Test
    void anEmptyTokenMaskNamesTheSampleWhenRead() {
        Objective icvco = Objectives.create("ic-vco");
        LogProbValues values = LogProbValues.neutral(icvco, 3).id(2, "edited-17").tokens("y'|m'[mask]", 2, 0);
        try (PointerScope scope = new PointerScope()) {
            LogProbTable table = values.table(icvco);
            table.policy(Request.parse("y|m[mask]"));
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> table.logRatio(Request.parse("y'|m'[mask]")));
            assertEquals("objective 'ic-vco': sample 'edited-17' (index 2) has an empty token mask (it selects no token)"
                    + " in request 'y'|m'[mask]'", error.getMessage());
        }
    }
}
