package org.vco4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.model.encoder.EmbeddingJob;
import org.vco4j.model.encoder.EncoderImages;
import org.vco4j.testing.Cli.Run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.vco4j.testing.Cli.vco;

/** {@code vco model init} of an encoder and {@code vco embed}, as a user runs them. */
class EmbedCliTest {
    @Test
    void initAndEmbedAFolder(@TempDir Path dir) throws Exception {
        Path encoder = dir.resolve("siglip");
        Run init = vco("model", "init", "--family", "siglip", "--out", encoder.toString());
        assertEquals(0, init.exitCode(), init.err());
        assertTrue(Files.isRegularFile(encoder.resolve("preprocessor_config.json")));

        Path images = dir.resolve("images");
        EncoderImages.png(images.resolve("x.png"), 20, 20, 1);
        EncoderImages.png(images.resolve("y.png"), 30, 20, 2);
        Path out = dir.resolve("emb.safetensors");
        Run embed = vco("embed", "--encoder", encoder.toString(), "--images", images.toString(), "--out", out.toString(),
                "--batch-size", "1");
        assertEquals(0, embed.exitCode(), embed.err());
        assertTrue(embed.out().contains("embedded 2 images") && embed.out().contains("images/s"), embed.out());
        assertTrue(embed.err().lines().anyMatch(l -> l.matches("embed: [0-9.]+ s; [0-9.e+-]+ GFLOP = .*roofline") && !l.contains(" 0.00 GFLOP =")),
                embed.err());
        assertEquals(List.of("x.png", "y.png"), EmbeddingJob.read(out).ids());
    }

    @Test
    void aBadImageIsOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        Path encoder = dir.resolve("clip");
        assertEquals(0, vco("model", "init", "--family", "clip", "--out", encoder.toString()).exitCode());
        Path images = dir.resolve("images");
        EncoderImages.png(images.resolve("fine.png"), 20, 20, 1);
        Files.writeString(images.resolve("broken.png"), "this is text, not a PNG");
        Path out = dir.resolve("emb.safetensors");
        Run embed = vco("embed", "--encoder", encoder.toString(), "--images", images.toString(), "--out", out.toString());
        assertEquals(2, embed.exitCode());
        assertEquals(1, embed.err().strip().lines().count(), embed.err());
        assertTrue(embed.err().contains("broken.png"), embed.err());
        assertFalse(Files.exists(out));

        Run noEncoder = vco("embed", "--encoder", dir.resolve("missing").toString(), "--images", images.resolve("fine.png").toString(),
                "--out", out.toString());
        assertEquals(2, noEncoder.exitCode(), noEncoder.err());
        Run size = vco("model", "init", "--family", "dinov2", "--size", "tiny-64", "--out", dir.resolve("d").toString());
        assertEquals(2, size.exitCode());
        assertTrue(size.err().contains("--size tiny-64"), size.err());
    }

    /** A real config.json's shape (here DINOv2's keys at a toy width) with the preprocessor the hub pairs with it. */
    @Test
    void randomWeightsOfAnEncoderConfig(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"architectures\": [\"Dinov2Model\"], \"hidden_act\": \"gelu\", \"hidden_size\": 8,"
                + " \"image_size\": 518, \"layer_norm_eps\": 1e-06, \"mlp_ratio\": 4, \"model_type\": \"dinov2\","
                + " \"num_attention_heads\": 2, \"num_hidden_layers\": 1, \"patch_size\": 14}");
        Path encoder = dir.resolve("encoder");
        Run init = vco("model", "init", "--config", config.toString(), "--out", encoder.toString());
        assertEquals(0, init.exitCode(), init.err());
        var preprocessor = org.vco4j.model.image.PreprocessorConfig.read(encoder);
        assertEquals("BitImageProcessor", org.vco4j.common.Json.MAPPER.readTree(encoder.resolve("preprocessor_config.json").toFile())
                .get("image_processor_type").asText());
        assertEquals(0.485, preprocessor.imageMean()[0], "ImageNet statistics");
        assertEquals(256, preprocessor.size().shortestEdge());
        assertEquals(224, preprocessor.cropSize().height());
        Path images = dir.resolve("images");
        EncoderImages.png(images.resolve("x.png"), 300, 200, 1);
        Path out = dir.resolve("emb.safetensors");
        Run embed = vco("embed", "--encoder", encoder.toString(), "--images", images.toString(), "--out", out.toString());
        assertEquals(0, embed.exitCode(), embed.err());
        assertEquals(8, EmbeddingJob.read(out).row("x.png").length);
    }
}
