package org.vco4j.objective;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjectivesTest {
    @Test
    void registersTheTenObjectivesByTheirCommandLineNames() {
        assertEquals(List.of("sft", "dpo", "mdpo", "visdpo", "vco", "s-vco", "ic-vco", "jompo", "seva", "symmpo"), Objectives.names());
        for (String name : Objectives.names()) {
            Objective objective = Objectives.create(name);
            assertEquals(name, objective.name());
            assertFalse(objective.requests().isEmpty(), name);
            assertFalse(objective.title().isBlank(), name);
            assertTrue(objective.formula().contains("loss") || objective.formula().contains("eq."), name);
        }
    }

    @Test
    void eachCreateIsAFreshObjective() {
        Objective first = Objectives.create("dpo").set("beta", "0.5");
        Objective second = Objectives.create("dpo");
        assertNotSame(first, second);
        assertEquals("0.1", second.hyperparameters().get("beta"));
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Objectives.create("svco"));
        assertEquals("unknown objective 'svco'; known: sft, dpo, mdpo, visdpo, vco, s-vco, ic-vco, jompo, seva, symmpo",
                error.getMessage());
    }
}
