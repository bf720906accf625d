package org.vco4j.request;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.data.Sample;
import org.vco4j.data.Span;
import org.vco4j.data.TestData;
import org.vco4j.objective.Objective;
import org.vco4j.objective.Objectives;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestValidationTest {
    @TempDir
    Path folder;

    private Sample tuple(String id) throws IOException {
        return TestData.tuple(folder, id);
    }

    private Sample pair(String id, String... rejected) throws IOException {
        return Sample.preferencePair(id, TestData.png(folder.resolve(id + ".png"), 2, 2, 0), "Describe it.", "A cat.",
                List.of(rejected));
    }

    private static String error(Objective objective, List<Sample> samples) {
        return assertThrows(IllegalArgumentException.class, () -> validate(objective, samples)).getMessage();
    }

    @Test
    void contrastiveObjectivesNeedTuples() throws IOException {
        for (String name : List.of("s-vco", "vco", "ic-vco", "jompo", "visdpo")) {
            Objective objective = Objectives.create(name);
            String message = error(objective, List.of(tuple("t1"), pair("p1", "A dog."), pair("p2", "A cow.")));
            assertTrue(message.startsWith("objective " + name + " scores "), message);
            // The first request in the objective's order that p1 cannot serve names what it lacks.
            assertTrue(message.contains("sample 'p1' has one image and no contrasting image m'")
                    || message.contains("sample 'p1' has no y'"), message);
        }
        assertEquals("objective s-vco scores y|m', but sample 'p1' has one image and no contrasting image m'"
                + " (a second entry in \"images\")", error(Objectives.create("s-vco"), List.of(tuple("t1"), pair("p1", "A dog."))));
        assertEquals(List.of(), validate(Objectives.create("s-vco"), List.of(tuple("t1"), tuple("t2"))));
    }

    @Test
    void aTupleWithoutYPrimeIsNamed() throws IOException {
        Sample t = tuple("t1");
        Sample oneResponse = new Sample("half", t.images(), "Q?", List.of("The ball is red."), List.of(), List.of(),
                null, null, null);
        assertEquals("objective jompo scores y'|m, but sample 'half' has no y' (a second entry in \"responses\")",
                error(Objectives.create("jompo"), List.of(t, oneResponse)));
        assertEquals(List.of(), validate(Objectives.create("vco"), List.of(oneResponse)),
                "one-sided VCO reads only y");
    }

    @Test
    void dpoReadsPairsOrTuplesAndSaysSo() throws IOException {
        Objective dpo = Objectives.create("dpo");
        assertEquals(List.of(), validate(dpo, List.of(pair("p1", "A dog."))));
        assertEquals(List.of("1 of 2 samples have no rejected answer: their y' is read as y_l, the preference y > y' under m"),
                validate(dpo, List.of(pair("p1", "A dog."), tuple("t1"))));
        assertEquals(List.of(), validate(Objectives.create("mdpo"), List.of(pair("p1", "A dog."))));
    }

    @Test
    void sevaNeedsOneRejectedAnswerPerNegative() throws IOException {
        Objective seva = Objectives.create("seva").set("negatives", "2");
        assertEquals("objective seva scores y_l2|m, but sample 'p2' has 1 rejected answer and needs 2",
                error(seva, List.of(pair("p1", "A dog.", "A cow."), pair("p2", "A dog."))));
        assertEquals("objective seva scores y_l2|m, but sample 't' has no rejected answer and needs 2",
                error(seva, List.of(tuple("t"))));
        assertEquals(List.of(), validate(seva, List.of(pair("p1", "A dog.", "A cow."))));
    }

    @Test
    void yPrimeDoesNotStandInForYLWhenTheObjectiveScoresYPrimeToo() throws IOException {
        Objective symmpo = Objectives.create("symmpo");
        String message = error(symmpo, List.of(tuple("t1")));
        assertTrue(message.startsWith("objective symmpo scores y_l|m, but sample 't1' has no rejected answer;"
                + " its y' would stand in for y_l"), message);
        Sample t = tuple("t2");
        Sample withRejected = new Sample("t2", t.images(), t.prompt(), t.responses(), List.of("The ball is green."),
                List.of(), null, null, null);
        assertEquals(List.of(), validate(symmpo, List.of(withRejected)));
        assertEquals(List.of(), validate(Objectives.create("symmpo").set("dpo_weight", "0"), List.of(tuple("t1"))));
    }

    @Test
    void maskedRequestsWithoutMasksScoreFullResponsesAndSaySo() throws IOException {
        Objective icVco = Objectives.create("ic-vco");
        Sample masked = tuple("m1").withMasks(List.of(List.of(new Span(12, 15)), List.of(new Span(12, 16))));
        assertEquals(List.of(), validate(icVco, List.of(masked)));
        assertEquals(List.of("2 of 3 samples have no token masks: y|m[mask], y'|m[mask], y'|m'[mask], y|m'[mask]"
                        + " score their full responses"),
                validate(icVco, List.of(tuple("u1"), masked, tuple("u2"))));
        assertEquals(List.of(), validate(Objectives.create("ic-vco").set("token_mask", "false"),
                List.of(tuple("u1"))), "without masked requests there is nothing to fall back from");
    }

    @Test
    void noSamplesIsAnError() {
        assertEquals("no samples to train sft on", error(Objectives.create("sft"), List.of()));
    }

    private static List<String> validate(org.vco4j.objective.Objective objective, List<org.vco4j.data.Sample> samples) {
        return RequestValidation.check(objective.name(), objective.requests(), samples);
    }
}
