package org.vco4j.data.world;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CaptionGrammarTest {
    @Test
    void everyGeneratedCaptionParsesToItsGroups() {
        List<Scene> scenes = WorldGenerator.scenes(WorldSettings.of(3, 400, 64, 0.8, 0.25));
        for (Scene scene : scenes) {
            String caption = Captions.describe(scene.objects());
            var parsed = CaptionGrammar.parse(caption);
            assertTrue(parsed.isPresent(), caption);
            List<List<SceneObject>> groups = Captions.groups(scene.objects());
            assertEquals(groups.size(), parsed.get().size(), caption);
            for (int i = 0; i < groups.size(); i++) {
                assertEquals(groups.get(i).size(), parsed.get().get(i).count(), caption);
                assertEquals(groups.get(i).get(0).shape(), parsed.get().get(i).shape(), caption);
                assertEquals(groups.get(i).get(0).color(), parsed.get().get(i).color(), caption);
            }
            // As a word-level tokenizer gives it back: lower case, marks glued to the word before.
            assertTrue(CaptionGrammar.isFluent(caption.toLowerCase()), caption);
            assertTrue(CaptionGrammar.isFluent(caption.replace(",", " ,").replace(".", " .")), caption);
        }
    }

    @Test
    void brokenCaptionsAreNotFluent() {
        for (String broken : List.of(
                "there are two there is a large.",
                "there are two",
                "There is a small red circle on the left",              // no full stop
                "There is a red circle on the left.",                   // a single object needs its size
                "There are a small red circle on the left.",            // verb does not agree
                "There is two red circles.",
                "There is a small red circle on the left, a large blue square on the right.", // no "and"
                "There is a small red circle on the left and.",
                "There is a small red circle on the left. There is",
                "There is a small red circle on the middle.",
                "There are one red circles.",
                "There are two red circle.",
                "There is a small red circle on the left and a large blue square on the right..",
                "There is a small red circle on the left and a large blue square on the right and.",
                "There is a small red dog on the left.",
                "There is a small red circle on the left!",
                "",
                ".")) {
            assertFalse(CaptionGrammar.isFluent(broken), broken);
        }
    }

    @Test
    void wellFormedCaptionsNeedNotBeTheCanonicalOne() {
        // Grammar, not truth or order: a caption the world would write for another scene is still fluent.
        assertTrue(CaptionGrammar.isFluent("There are four large purple crosses on the right."));
        assertTrue(CaptionGrammar.isFluent("There is a large green star on the right, two red hearts on the left and three blue squares."));
        var groups = CaptionGrammar.parse("there are two small red circles, a large blue square on the right and three green stars.").orElseThrow();
        assertEquals(List.of(new CaptionGrammar.Group(2, "small", "red", "circle", null),
                new CaptionGrammar.Group(1, "large", "blue", "square", "right"),
                new CaptionGrammar.Group(3, null, "green", "star", null)), groups);
    }
}
