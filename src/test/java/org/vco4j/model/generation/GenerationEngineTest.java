package org.vco4j.model.generation;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.Context;
import org.vco4j.testing.Cli;
import org.vco4j.testing.TinyWorld;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

class GenerationEngineTest {
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

    /** Prompts of different lengths, with and without images, and different answer lengths. */
    static List<GenerationRequest> requests() {
        return List.of(
                new GenerationRequest(new Context(List.of(TinyWorld.redCircle()), "<image>\nDescribe the image."), GenerationConfig.greedy(9)),
                new GenerationRequest(Context.textOnly("Hi"), GenerationConfig.greedy(14)),
                new GenerationRequest(new Context(List.of(TinyWorld.redCircle(), TinyWorld.blueSquare()),
                        "<image>\n<image>\nWhat differs between the two pictures, in a few words?"), GenerationConfig.greedy(5)),
                new GenerationRequest(Context.textOnly("Count to ten, slowly and clearly."), GenerationConfig.greedy(11)),
                new GenerationRequest(new Context(List.of(TinyWorld.blueSquare()), "<image>\nColour?"), new GenerationConfig(8, 1.2, 0.9, 7)));
    }

    @Test
    void batchedAndUnbatchedOutputsEqualTheGenerators() throws Exception {
        List<long[]> expected = new ArrayList<>();
        try (PointerScope scope = new PointerScope()) {
            for (GenerationRequest r : requests()) expected.add(generator.generate(r.condition(), r.config()).ids());
        }
        for (int maxBatch : new int[] {1, 3, 8}) {
            try (GenerationEngine engine = new GenerationEngine(vlm.model(), vlm.processor(), maxBatch, 16)) {
                List<CompletableFuture<Completion>> results = new ArrayList<>();
                List<GenerationRequest> all = requests();
                int[] mostRunning = {0};
                for (int i = 0; i < all.size(); i++) {
                    results.add(submit(engine, all.get(i), piece -> mostRunning[0] = Math.max(mostRunning[0], engine.running()))); // on the engine's thread
                    if (i == 1) Thread.sleep(30); // later requests join a batch that is already running
                }
                for (int i = 0; i < all.size(); i++) {
                    Completion c = results.get(i).get(60, TimeUnit.SECONDS);
                    assertArrayEquals(expected.get(i), c.ids(), "request " + i + " with batches of " + maxBatch);
                    assertEquals(vlm.processor().decode(c.ids()), c.text());
                    assertEquals(c.ids().length == all.get(i).config().maxNewTokens() ? Completion.FinishReason.LENGTH
                            : Completion.FinishReason.STOP, c.finishReason());
                }
                if (maxBatch == 1) assertEquals(1, mostRunning[0]);
                else assertTrue(mostRunning[0] > 1, "no two requests ever ran together with batches of " + maxBatch);
            }
        }
    }

    @Test
    void requestsThatArriveTogetherArePrefilledTogether() throws Exception {
        List<GenerationRequest> all = requests();
        List<long[]> expected = new ArrayList<>();
        try (PointerScope scope = new PointerScope()) {
            for (GenerationRequest r : all) expected.add(generator.generate(r.condition(), r.config()).ids());
        }
        try (GenerationEngine engine = new GenerationEngine(vlm.model(), vlm.processor(), 8, 8)) {
            // The first request's listener holds the engine's thread while the others queue up; released, the engine
            // takes all of them into the batch at once, their prompts (with and without images) decoded in one pass.
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch holding = new CountDownLatch(1);
            List<CompletableFuture<Completion>> results = new ArrayList<>();
            results.add(submit(engine, all.get(0), piece -> {
                holding.countDown();
                awaitQuietly(release);
            }));
            assertTrue(holding.await(60, TimeUnit.SECONDS));
            for (GenerationRequest r : all.subList(1, all.size())) results.add(submit(engine, r, piece -> {}));
            assertEquals(all.size() - 1, engine.waiting());
            release.countDown();
            for (int i = 0; i < all.size(); i++) assertArrayEquals(expected.get(i), results.get(i).get(60, TimeUnit.SECONDS).ids(), "request " + i);
        }
    }

    @ParameterizedTest
    @CsvSource({"llava, tiny-interleave", "llava-onevision, tiny", "qwen2-vl, tiny"})
    void otherFamiliesBatchTheSameWay(String family, String size, @TempDir Path dir) throws Exception {
        Path folder = dir.resolve(size);
        Cli.Run init = Cli.vco("model", "init", "--family", family, "--size", size, "--seed", "4", "--out", folder.toString());
        assertEquals(0, init.exitCode(), init.err());
        List<GenerationRequest> all = List.of(
                new GenerationRequest(new Context(List.of(TinyWorld.redCircle()), "<image>\nDescribe the image."), GenerationConfig.greedy(7)),
                new GenerationRequest(Context.textOnly("Hello"), GenerationConfig.greedy(10)),
                new GenerationRequest(new Context(List.of(TinyWorld.blueSquare(), TinyWorld.redCircle()),
                        "<image>\n<image>\nCompare them."), GenerationConfig.greedy(6)));
        try (PretrainedVlm other = PretrainedVlm.load(folder, ParameterFactory.cpuFloat32());
             GenerationEngine engine = new GenerationEngine(other.model(), other.processor(), 3, 4)) {
            List<long[]> expected = new ArrayList<>();
            try (PointerScope scope = new PointerScope()) {
                Generator alone = new Generator(other.model(), other.processor());
                for (GenerationRequest r : all) expected.add(alone.generate(r.condition(), r.config()).ids());
            }
            List<CompletableFuture<Completion>> results = new ArrayList<>();
            for (GenerationRequest r : all) results.add(submit(engine, r, piece -> {}));
            for (int i = 0; i < all.size(); i++) {
                assertArrayEquals(expected.get(i), results.get(i).get(60, TimeUnit.SECONDS).ids(), family + " request " + i);
            }
        }
    }

    @Test
    void streamedPiecesMakeTheTextAndStopStringsCutIt() throws Exception {
        GenerationRequest plain = new GenerationRequest(Context.textOnly("Hello there"), GenerationConfig.greedy(16));
        try (GenerationEngine engine = new GenerationEngine(vlm.model(), vlm.processor(), 4, 4)) {
            StringBuilder pieces = new StringBuilder();
            Completion full = submit(engine, plain, pieces::append).get(60, TimeUnit.SECONDS);
            assertEquals(full.text(), pieces.toString());
            assertTrue(full.text().length() > 6, full.text());
            String stop = full.text().substring(3, 5);
            int cut = full.text().indexOf(stop);
            StringBuilder stoppedPieces = new StringBuilder();
            Completion stopped = submit(engine, new GenerationRequest(plain.condition(), plain.config(), List.of("\u0000never", stop)),
                    stoppedPieces::append).get(60, TimeUnit.SECONDS);
            assertEquals(full.text().substring(0, cut), stopped.text());
            assertEquals(stopped.text(), stoppedPieces.toString());
            assertEquals(Completion.FinishReason.STOP, stopped.finishReason());
        }
    }

    @Test
    void aFullQueueRefusesAndBadInputFailsOnlyItsRequest() throws Exception {
        try (GenerationEngine engine = new GenerationEngine(vlm.model(), vlm.processor(), 1, 1)) {
            GenerationRequest tooLong = new GenerationRequest(Context.textOnly("the ".repeat(vlm.model().maxPositions())), GenerationConfig.greedy(2));
            GenerationRequest fine = new GenerationRequest(Context.textOnly("Hi"), GenerationConfig.greedy(30));
            CompletableFuture<Completion> failed = submit(engine, tooLong, piece -> {});
            ExecutionException e = assertThrows(ExecutionException.class, () -> failed.get(60, TimeUnit.SECONDS));
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            // The first request's listener holds the engine's thread, so the second must wait in the queue.
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch holding = new CountDownLatch(1);
            CompletableFuture<Completion> first = submit(engine, fine, piece -> {
                holding.countDown();
                awaitQuietly(release);
            });
            assertTrue(holding.await(60, TimeUnit.SECONDS));
            CompletableFuture<Completion> second = submit(engine, fine, piece -> {});
            assertThrows(RejectedExecutionException.class, () -> submit(engine, fine, piece -> {}));
            release.countDown();
            assertArrayEquals(first.get(60, TimeUnit.SECONDS).ids(), second.get(60, TimeUnit.SECONDS).ids());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CompletableFuture<Completion> submit(GenerationEngine engine, GenerationRequest request, Consumer<String> pieces) {
        CompletableFuture<Completion> result = new CompletableFuture<>();
        engine.submit(request, new GenerationListener() {
            @Override public void onText(String delta) { pieces.accept(delta); }
            @Override public void onFinish(Completion completion) { result.complete(completion); }
            @Override public void onError(RuntimeException error) { result.completeExceptionally(error); }
        });
        return result;
    }
}
