package org.vco4j.data.endpoints;

import org.junit.jupiter.api.Test;
import org.vco4j.data.Span;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CharDiffTest {
    private static List<String> words(String text, List<Span> spans) {
        return spans.stream().map(s -> text.substring(s.start(), s.end())).toList();
    }

    @Test
    void replacedWordsAreMaskedWhole() {
        String y = "There is a red cup on the table.";
        String y2 = "There is a green cup on the table.";
        List<List<Span>> masks = CharDiff.masks(y, y2);
        assertEquals(List.of("red"), words(y, masks.get(0)));
        assertEquals(List.of("green"), words(y2, masks.get(1)));

        String a = "Two dogs sit left of the bench.";
        String b = "Three dogs sit right of the bench.";
        masks = CharDiff.masks(a, b);
        assertEquals(List.of("Two", "left"), words(a, masks.get(0)));
        assertEquals(List.of("Three", "right"), words(b, masks.get(1)));
    }

    @Test
    void aPureDeletionMasksTheWordsAroundItOnTheShorterSide() {
        String y = "The cat sits on a red mat.";
        String y2 = "The cat sits on a mat.";
        List<List<Span>> masks = CharDiff.masks(y, y2);
        assertEquals(List.of("red"), words(y, masks.get(0)));
        assertEquals(List.of("a mat."), words(y2, masks.get(1)));
        assertEquals(List.of(), CharDiff.masks(y, y));
    }
}
