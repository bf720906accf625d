package org.vco4j.data.world;

import org.junit.jupiter.api.Test;
import org.vco4j.data.Span;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WordDiffTest {
    private static List<List<String>> masked(String y, String yPrime) {
        List<List<Span>> masks = WordDiff.masks(y, yPrime);
        if (masks.isEmpty()) return List.of();
        return List.of(masks.get(0).stream().map(s -> y.substring(s.start(), s.end())).toList(),
                masks.get(1).stream().map(s -> yPrime.substring(s.start(), s.end())).toList());
    }

    @Test
    void masksTheReplacedWordsOnly() {
        assertEquals(List.of(List.of("red"), List.of("green")),
                masked("There is a small red circle on the left.", "There is a small green circle on the left."));
        assertEquals(List.of(List.of("is", "a", "circle"), List.of("are", "two", "circles")),
                masked("There is a large red circle on the left.", "There are two large red circles on the left."));
        assertEquals(List.of(List.of("yes"), List.of("no")), masked("yes", "no"));
    }

    @Test
    void aResponseInsideTheOtherGetsNoMasks() {
        assertEquals(List.of(), masked("There is a red circle.", "There is a red circle and a blue square."));
    }

    @Test
    void punctuationIsAWordOfItsOwn() {
        assertEquals(List.of(List.of("."), List.of("?")), masked("left.", "left?"));
    }
}
