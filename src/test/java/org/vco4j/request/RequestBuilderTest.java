package org.vco4j.request;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.data.Span;
import org.vco4j.objective.Objective;
import org.vco4j.objective.Objectives;
import org.vco4j.request.Condition;
import org.vco4j.request.Request;
import org.vco4j.request.Response;
import org.vco4j.request.ScoreRequest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestBuilderTest {
    private static final String X = "What colour is the ball?";
    private static final String Y = "The ball is red.";
    private static final String Y_PRIME = "The ball is blue.";

    @TempDir
    Path folder;
    Path m;
    Path mPrime;
    Path crop;
    Sample tuple;

    @BeforeEach
    void files() throws IOException {
        // The builder only names files; their content does not matter here.
        m = Files.writeString(folder.resolve("m.png"), "m");
        mPrime = Files.writeString(folder.resolve("m2.png"), "m'");
        crop = Files.writeString(folder.resolve("crop.png"), "crop");
        tuple = Sample.contrastive("s1", m, mPrime, X, Y, Y_PRIME);
    }

    private ScoreRequest build(Sample sample, String request, boolean swapped) {
        return RequestBuilder.build(sample, Request.parse(request), swapped, crop);
    }

    private static void assertCondition(List<Path> images, String prompt, ScoreRequest request) {
        assertEquals(images, request.context().images(), request.id());
        assertEquals(prompt, request.context().prompt(), request.id());
        assertEquals(images.size(), request.context().placeholders(), "one placeholder per image: " + request.id());
    }

    @Test
    void singleImageConditions() {
        assertCondition(List.of(m), "<image>\n" + X, build(tuple, "y|m", false));
        assertCondition(List.of(mPrime), "<image>\n" + X, build(tuple, "y|m'", false));
        assertCondition(List.of(), X, build(tuple, "y|none", false));
        assertCondition(List.of(crop), "<image>\n" + X, build(tuple, "y|m_crop", false));
        for (String request : List.of("y|m", "y|m'", "y|none", "y|m_crop")) {
            assertEquals(build(tuple, request, false).context(), build(tuple, request, true).context(),
                    "the swap only orders two-image contexts: " + request);
        }
    }

    @Test
    void twoImageConditionsFollowTheSwapWithTheirAnchors() {
        String both = "<image>\n<image>\n" + X + " ";
        assertCondition(List.of(m, mPrime), both + "Answer based on the first image.", build(tuple, "y|M,x^", false));
        assertCondition(List.of(mPrime, m), both + "Answer based on the second image.", build(tuple, "y|M,x^", true));
        assertCondition(List.of(m, mPrime), both + "Answer based on the second image.", build(tuple, "y|M,x^'", false));
        assertCondition(List.of(mPrime, m), both + "Answer based on the first image.", build(tuple, "y|M,x^'", true));
        assertEquals(RequestBuilder.ANCHOR_FIRST_IMAGE, "Answer based on the first image.");
        assertEquals(RequestBuilder.ANCHOR_SECOND_IMAGE, "Answer based on the second image.");
    }

    @Test
    void aPromptThatPlacesItsImageKeepsThePlace() {
        Sample placed = Sample.contrastive("s2", m, mPrime, "Look: <image>\nWhat colour is the ball?", Y, Y_PRIME);
        assertCondition(List.of(m), "Look: <image>\nWhat colour is the ball?", build(placed, "y|m", false));
        assertCondition(List.of(), "Look: What colour is the ball?", build(placed, "y|none", false));
        assertCondition(List.of(m, mPrime), "Look: <image>\n<image>\nWhat colour is the ball? Answer based on the first image.",
                build(placed, "y|M,x^", false));
        Sample inline = Sample.contrastive("s3", m, mPrime, "Is the ball in <image> red?", Y, Y_PRIME);
        assertCondition(List.of(), "Is the ball in red?", build(inline, "y|none", false));
    }

    @Test
    void responsesMapToTheirTexts() {
        assertEquals(Y, build(tuple, "y|m", false).response());
        assertEquals(Y_PRIME, build(tuple, "y'|m", false).response());
        assertEquals(Y_PRIME, build(tuple, "y_l|m", false).response(), "a tuple reads y' as y_l");
        Sample seva = Sample.preferencePair("p", m, X, Y, List.of("The ball is green.", "The ball is pink."));
        assertEquals(Y, build(seva, "y|m", false).response());
        assertEquals("The ball is green.", build(seva, "y_l|m", false).response());
        assertEquals("The ball is pink.", build(seva, "y_l2|m", false).response());
        String message = assertThrows(IllegalArgumentException.class, () -> build(seva, "y_l3|m", false)).getMessage();
        assertEquals("sample 'p' has no y_l3 for request y_l3|m", message);
        assertEquals("sample 'p' has no contrasting image m' for request y|m'",
                assertThrows(IllegalArgumentException.class, () -> build(seva, "y|m'", false)).getMessage());
    }

    @Test
    void maskedRequestsCarryTheResponsesMask() {
        Sample masked = tuple.withMasks(List.of(List.of(new Span(12, 15)), List.of(new Span(12, 16), new Span(0, 3))));
        ScoreRequest y = build(masked, "y|m[mask]", false);
        assertEquals(1, y.maskSpans().size());
        assertArrayEquals(new int[] {12, 15}, y.maskSpans().get(0));
        assertEquals("red", Y.substring(12, 15));
        ScoreRequest yPrime = build(masked, "y'|m'[mask]", false);
        assertArrayEquals(new int[] {12, 16}, yPrime.maskSpans().get(0));
        assertArrayEquals(new int[] {0, 3}, yPrime.maskSpans().get(1));
        assertNull(build(masked, "y|m", false).maskSpans(), "an unmasked request scores the full response");
        assertNull(build(tuple, "y|m[mask]", false).maskSpans(), "no masks: the full response");
    }

    @Test
    void idsAreDeterministicAndUnique() {
        assertEquals("s1/y|m", build(tuple, "y|m", false).id());
        assertEquals("s1/y|m", build(tuple, "y|m", true).id());
        assertEquals("s1/y'|M,x^", build(tuple, "y'|M,x^", false).id());
        assertEquals("s1/y'|M,x^/swapped", build(tuple, "y'|M,x^", true).id());
        assertEquals("s1/y|m'[mask]", build(tuple, "y|m'[mask]", false).id());
        Set<String> ids = new HashSet<>();
        int built = 0;
        for (Response response : List.of(Response.Y, Response.Y_PRIME, Response.REJECTED)) {
            for (Condition condition : Condition.values()) {
                for (boolean masked : new boolean[] {false, true}) {
                    for (boolean swapped : new boolean[] {false, true}) {
                        ScoreRequest request = RequestBuilder.build(tuple, new Request(response, condition, masked), swapped, crop);
                        assertEquals(request.id(), RequestBuilder.build(tuple, new Request(response, condition, masked), swapped, crop).id());
                        if (!swapped || condition.showsBothImages()) {
                            assertTrue(ids.add(request.id()), "duplicate id " + request.id());
                            built++;
                        }
                    }
                }
            }
        }
        assertEquals(3 * 2 * (4 + 2 * 2), built);
    }

    @Test
    void theCropIsNeededOnlyByTheCropCondition() {
        assertEquals("request y|m_crop on sample 's1' needs the crop of m, but none was made (see RequestBuilder.prepare)",
                assertThrows(IllegalArgumentException.class,
                        () -> RequestBuilder.build(tuple, Request.parse("y|m_crop"), false, null)).getMessage());
        assertEquals(List.of(m), RequestBuilder.build(tuple, Request.parse("y|m"), false, null).context().images());
    }

    @Test
    void everyObjectivesRequestsBuildOnAFullTuple() {
        Sample full = new Sample("s1", List.of(m, mPrime), X, List.of(Y, Y_PRIME), List.of("The ball is green."),
                List.of(List.of(new Span(12, 15)), List.of(new Span(12, 16))), "attribute", null, null);
        for (String name : Objectives.names()) {
            Objective objective = Objectives.create(name);
            assertEquals(List.of(), validate(objective, List.of(full)), name);
            List<ScoreRequest> requests = objective.requests().stream().map(r -> RequestBuilder.build(full, r, true, crop)).toList();
            assertEquals(objective.requests().size(), requests.size(), name);
            assertEquals(requests.size(), requests.stream().map(ScoreRequest::id).distinct().count(), name);
        }
    }

    private static List<String> validate(org.vco4j.objective.Objective objective, List<org.vco4j.data.Sample> samples) {
        return RequestValidation.check(objective.name(), objective.requests(), samples);
    }
}
