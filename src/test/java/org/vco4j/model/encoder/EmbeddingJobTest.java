package org.vco4j.model.encoder;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.model.image.ImageLoadException;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.tensor.safetensors.SafetensorsFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class EmbeddingJobTest {
    @TempDir
    Path dir;
    private Path encoder;
    private Path images;

    @BeforeEach
    void tinyEncoderAndFiveImages() throws IOException {
        encoder = dir.resolve("dinov2");
        PretrainedImageEncoder.writeTiny("dinov2", encoder, false, 7);
        images = dir.resolve("images");
        EncoderImages.png(images.resolve("b.png"), 30, 20, 2);
        EncoderImages.png(images.resolve("a.png"), 20, 30, 1);
        EncoderImages.png(images.resolve("sub/c.png"), 24, 24, 3);
        EncoderImages.png(images.resolve("d.png"), 40, 20, 4);
        EncoderImages.png(images.resolve("e.png"), 18, 18, 5);
        Files.writeString(images.resolve("notes.txt"), "not an image");
    }

    private EmbeddingJob.Result run(Path source, Path out, int batchSize) throws IOException {
        return EmbeddingJob.run(encoder, ParameterFactory.cpuFloat32(), source, out, batchSize);
    }

    @Test
    void writesUnitRowsUnderSortedIds() throws IOException {
        Path out = dir.resolve("emb.safetensors");
        EmbeddingJob.Result result = run(images, out, 2);
        assertEquals(5, result.images());
        assertEquals(0, result.resumed());
        EmbeddingJob.Embeddings rows = EmbeddingJob.read(out);
        assertEquals(List.of("a.png", "b.png", "d.png", "e.png", "sub/c.png"), rows.ids());
        for (String id : rows.ids()) assertEquals(1.0, PretrainedImageEncoderTest.norm(rows.row(id)), 1e-6);
        try (SafetensorsFile file = SafetensorsFile.open(out)) {
            assertArrayEquals(new long[] {5, 8}, file.info(EmbeddingJob.EMBEDDINGS).shape());
            assertEquals("dinov2", file.metadata().get("model_type"));
        }
        assertFalse(Files.exists(dir.resolve("emb.safetensors.partial")), "the partial folder is removed");

        Path other = dir.resolve("batch5.safetensors");
        run(images, other, 5);
        EmbeddingJob.Embeddings oneBatch = EmbeddingJob.read(other);
        for (String id : rows.ids()) assertArrayEquals(rows.row(id), oneBatch.row(id), 1e-6f, id + ": batch size changes nothing");
    }

    @Test
    void aListFileNamesImagesRelativeToItself() throws IOException {
        Path list = images.resolve("list.txt");
        Files.writeString(list, "sub/c.png\n\na.png\n");
        Path out = dir.resolve("list.safetensors");
        run(list, out, 4);
        EmbeddingJob.Embeddings rows = EmbeddingJob.read(out);
        assertEquals(List.of("a.png", "sub/c.png"), rows.ids());
        assertArrayEquals(EmbeddingJob.read(runAll()).row("sub/c.png"), rows.row("sub/c.png"), 1e-6f);

        Files.writeString(list, "a.png\nsub/c.png\na.png\n");
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> run(list, out, 4));
        assertTrue(twice.getMessage().contains("line 3") && twice.getMessage().contains("a.png"), twice.getMessage());
    }

    private Path runAll() throws IOException {
        Path out = dir.resolve("all.safetensors");
        if (!Files.exists(out)) run(images, out, 2);
        return out;
    }

    /**
     * A run stopped by an unreadable image (its header intact, its pixels cut off) keeps its finished batches; once
     * the image is repaired, the rerun continues from them and writes the very bytes of an uninterrupted run.
     */
    @Test
    void anInterruptedRunResumesToTheSameFile() throws IOException {
        Path damaged = images.resolve("d.png");
        byte[] good = Files.readAllBytes(damaged);
        Files.write(damaged, Arrays.copyOf(good, 60));
        Path out = dir.resolve("resumed.safetensors");
        ImageLoadException failure = assertThrows(ImageLoadException.class, () -> run(images, out, 2));
        assertTrue(failure.getMessage().contains("d.png"), failure.getMessage());
        assertFalse(Files.exists(out));
        Path partial = dir.resolve("resumed.safetensors.partial");
        assertTrue(Files.isRegularFile(partial.resolve("batch-000000.safetensors")), "a.png and b.png are kept");

        IllegalArgumentException otherBatch = assertThrows(IllegalArgumentException.class, () -> run(images, out, 3));
        assertTrue(otherBatch.getMessage().contains("batch size") && otherBatch.getMessage().contains(partial.toString()),
                otherBatch.getMessage());

        Files.write(damaged, good);
        EmbeddingJob.Result resumed = run(images, out, 2);
        assertEquals(2, resumed.resumed());
        assertArrayEquals(Files.readAllBytes(runAll()), Files.readAllBytes(out));
        assertFalse(Files.exists(partial));
    }
}
