package org.vco4j.model;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vco4j.model.generation.GenerationConfig;
import org.vco4j.model.generation.Generator;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.Context;
import org.vco4j.testing.TinyWorld;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class GeneratorTest {
    static PretrainedVlm vlm;
    static Generator generator;

    @BeforeAll
    static void load() {
        vlm = PretrainedVlm.load(TinyWorld.checkpoint(), ParameterFactory.cpuFloat32());
        generator = new Generator(vlm.model(), vlm.processor());
    }

    @AfterAll
    static void close() {
        vlm.close();
    }

    @Test
    void cachedDecodingEqualsRecomputation() {
        Context condition = new Context(List.of(TinyWorld.redCircle(), TinyWorld.blueSquare()),
                "<image>\n<image>\nDescribe the two images.");
        try (PointerScope scope = new PointerScope()) {
            for (GenerationConfig config : List.of(GenerationConfig.greedy(12), new GenerationConfig(12, 1.0, 0.9, 5))) {
                Generator.Generation cached = generator.generate(condition, config, true);
                Generator.Generation recomputed = generator.generate(condition, config, false);
                assertArrayEquals(recomputed.ids(), cached.ids());
                assertEquals(12, cached.ids().length, "a random tiny model should not stop early on this prompt");
            }
        }
    }

    @Test
    void sameSeedSameTextAndSeedsMatter() {
        Context condition = new Context(List.of(TinyWorld.redCircle()), "<image>\nDescribe the image.");
        String first = generator.generate(condition, new GenerationConfig(16, 1.5, 1.0, 42)).text();
        String again = generator.generate(condition, new GenerationConfig(16, 1.5, 1.0, 42)).text();
        assertEquals(first, again);
        boolean anyDiffers = false;
        for (long seed = 1; seed <= 5 && !anyDiffers; seed++) {
            anyDiffers = !generator.generate(condition, new GenerationConfig(16, 1.5, 1.0, seed)).text().equals(first);
        }
        assertTrue(anyDiffers, "five other seeds all produced the same sampled text");
    }

    @Test
    void tooLongPromptIsRefused() {
        Context condition = Context.textOnly("the ".repeat(vlm.model().maxPositions()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> generator.generate(condition, GenerationConfig.greedy(4)));
        assertTrue(e.getMessage().contains("maximum"), e.getMessage());
    }
}
