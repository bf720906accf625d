package org.vco4j.data.world;

import org.junit.jupiter.api.Test;
import org.vco4j.model.tokenizer.TextTokenizer;
import org.vco4j.request.RequestBuilder;
import org.vco4j.testing.TinyWorld;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Every text the world writes is made of words the tiny models' tokenizer knows. */
class WorldTokenizerCoverageTest {
    @Test
    void noPromptOrAnswerTokenizesToUnknown() throws IOException {
        WorldSettings settings = WorldSettings.of(4, 300, 64, 0.8, 0.25);
        List<Scene> scenes = WorldGenerator.scenes(settings);
        Set<String> texts = new LinkedHashSet<>();
        texts.add(RequestBuilder.ANCHOR_FIRST_IMAGE);
        texts.add(RequestBuilder.ANCHOR_SECOND_IMAGE);
        SplittableRandom random = new SplittableRandom(1);
        for (Scene scene : scenes) {
            for (Question q : Question.all()) {
                texts.add(q.prompt());
                q.answer(scene.objects()).ifPresent(texts::add);
            }
            for (ContrastType type : ContrastType.values()) {
                MinimalEdits.edit(scene.objects(), type, 64, random).ifPresent(o -> texts.add(Captions.describe(o)));
            }
            Hallucinations.of(scene.objects(), settings, random).ifPresent(h -> texts.add(Captions.describe(h.objects())));
        }
        assertTrue(texts.size() > 500, texts.size() + " distinct texts");
        try (TextTokenizer tokenizer = TextTokenizer.load(TinyWorld.checkpoint())) {
            long unknown = tokenizer.unkTokenId().orElseThrow();
            List<String> failures = new ArrayList<>();
            for (String text : texts) {
                for (long id : tokenizer.encode(text, false)) {
                    if (id == unknown) failures.add(text);
                }
            }
            assertEquals(List.of(), failures);
            assertEquals(1, tokenizer.encode("crosses", false).length, "a plural is one known word");
            assertArrayEquals(new long[] {unknown}, tokenizer.encode("zebra", false), "an unknown word is <unk>");
        }
    }
}
