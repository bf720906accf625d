package org.vco4j.objective;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HyperparametersTest {
    @Test
    void startAtThePapersDefaults() {
        Hyperparameters icvco = Objectives.create("ic-vco").hyperparameters();
        assertEquals("0.1", icvco.get("beta"));
        assertEquals("0.75", icvco.get("lambda1"));
        assertEquals("1.75", icvco.get("lambda2"));
        assertEquals("0.3", icvco.get("gamma"));
        assertEquals("0.5", icvco.get("tau"));
        assertEquals("true", icvco.get("gate"));
        assertEquals("0.05", Objectives.create("jompo").hyperparameters().get("beta"));
        assertEquals("0.0001", Objectives.create("symmpo").hyperparameters().get("margin_regularization"));
        assertEquals("eq16", Objectives.create("seva").hyperparameters().get("multi_negative_form"));
    }

    @Test
    void setByNameAndListed() {
        Objective dpo = Objectives.create("dpo").set("beta", "0.25");
        Hyperparameters.Entry beta = dpo.hyperparameters().entries().get(0);
        assertEquals(new Hyperparameters.Entry("beta", "0.25", "0.1", "a number > 0", beta.description()), beta);
        assertEquals(List.of("beta", "label_smoothing"), dpo.hyperparameters().entries().stream().map(Hyperparameters.Entry::key).toList());
        assertEquals("false", Objectives.create("ic-vco").set("gate", "FALSE").hyperparameters().get("gate"));
        assertEquals("4", Objectives.create("seva").set("negatives", "4").hyperparameters().get("negatives"));
    }

    @Test
    void anUnknownKeyListsTheKnownOnes() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Objectives.create("dpo").set("betta", "1"));
        assertEquals("objective 'dpo' has no hyper-parameter 'betta'; known: beta, label_smoothing", error.getMessage());
    }

    @Test
    void aBadValueSaysWhatIsExpected() {
        Objective dpo = Objectives.create("dpo");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> dpo.set("beta", "0")).getMessage().contains("expects a number > 0, got '0'"));
        assertThrows(IllegalArgumentException.class, () -> dpo.set("beta", "NaN"));
        assertThrows(IllegalArgumentException.class, () -> dpo.set("beta", "abc"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Objectives.create("ic-vco").set("gate", "yes"))
                .getMessage().contains("true or false"));
        assertThrows(IllegalArgumentException.class, () -> Objectives.create("seva").set("negatives", "0"));
        assertThrows(IllegalArgumentException.class, () -> Objectives.create("seva").set("negatives", "1.5"));
        assertThrows(IllegalArgumentException.class, () -> Objectives.create("seva").set("multi_negative_form", "eq17"));
        assertEquals("0.1", dpo.hyperparameters().get("beta"), "a rejected value changes nothing");
    }
}
