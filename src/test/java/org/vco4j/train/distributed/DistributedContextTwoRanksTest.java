package org.vco4j.train.distributed;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.Context;
import org.vco4j.request.ScoreRequest;
import org.vco4j.score.Scorer;
import org.vco4j.testing.TinyWorld;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Two real ranks (child JVMs on loopback) running the collectives and one data-parallel step. */
class DistributedContextTwoRanksTest {
    /** Rank 0's half has images, rank 1's is text only: the vision tower gets gradients on rank 0 alone. */
    static List<ScoreRequest> globalBatch(Path root) {
        Context red = new Context(List.of(root.resolve("red-circle.png")), "<image>\nDescribe the image.");
        Context blue = new Context(List.of(root.resolve("blue-square.png")), "<image>\nWhat shape is it?");
        Context none = Context.textOnly("Describe the image.");
        return List.of(
                new ScoreRequest("red", red, "There is a red circle."),
                new ScoreRequest("blue", blue, "a blue square"),
                new ScoreRequest("text-1", none, "There is a red circle."),
                new ScoreRequest("text-2", none, "yes"));
    }

    @Test
    void collectivesAgreeAcrossTwoRanks() throws Exception {
        List<RankProcesses.Result> ranks = RankProcesses.run(2, DistributedProbe.class, List.of("collectives"), 90);
        for (RankProcesses.Result r : ranks) {
            assertEquals(0, r.exitCode(), r.describe());
            assertEquals("rank " + r.rank() + " of 2 (gloo)", r.value("context"));
            // rank r holds (r+1)·[1..6]: the mean is 1.5·[1..6], also where it was passed as a transposed view
            assertValues("1.5 3.0 4.5 6.0 7.5 9.0", r.value("mean_float"), r);
            assertValues("0.75 5.0 -1.5", r.value("mean_double"), r);
            assertValues("3.0", r.value("sum"), r);
            assertValues("7.0 8.0 9.0 5.0 6.0", r.value("broadcast_from_0"), r);
            assertValues("10.0 11.0", r.value("broadcast_from_1"), r);
            // rank 0's gradient (2, 4, 6) averaged with rank 1's zero fill
            assertValues("1.0 2.0 3.0", r.value("grad_used"), r);
            assertEquals("false", r.value("grad_unused_defined"), r.describe());
            String mismatch = r.value("mismatch");
            assertTrue(mismatch.contains("the ranks passed different tensors") && mismatch.contains("from 3 to 4 elements")
                    && mismatch.contains("rank " + r.rank() + " of 2"), mismatch);
            assertValues("2.0", r.value("after_mismatch"), r);
            assertEquals("yes", r.value("done"));
        }
        long waited = Long.parseLong(ranks.get(0).value("barrier_ms"));
        assertTrue(waited >= 500, "rank 0 left the barrier after " + waited + " ms although rank 1 came 700 ms late");
    }

    @Test
    void twoRanksOnHalfBatchesGiveTheFullBatchGradient(@TempDir Path out) throws Exception {
        Path root = TinyWorld.root();
        List<RankProcesses.Result> ranks = RankProcesses.run(2, DistributedProbe.class,
                List.of("model", root.toString(), out.toString()), 120);
        for (RankProcesses.Result r : ranks) {
            assertEquals(0, r.exitCode(), r.describe());
            System.out.printf("rank %d: rendezvous %s ms, load %s ms, broadcast %s, forward+backward %s ms, gradient all-reduce %s ms%n",
                    r.rank(), r.value("rendezvous_ms"), r.value("load_ms"), r.value("broadcast_ms"), r.value("forward_backward_ms"),
                    r.value("all_reduce_ms"));
        }
        assertEquals("red,blue", ranks.get(0).value("shard"));
        assertEquals("text-1,text-2", ranks.get(1).value("shard"));
        String weights0 = ranks.get(0).value("checksum_after");
        assertNotEquals(weights0, ranks.get(1).value("checksum_before"), "rank 1 did not start from different weights");
        assertEquals(weights0, ranks.get(1).value("checksum_after"), "the broadcast did not give rank 1 rank 0's weights");

        Map<String, float[]> rank0 = readGradients(out.resolve("grads-0.bin"));
        Map<String, float[]> rank1 = readGradients(out.resolve("grads-1.bin"));
        Map<String, float[]> reference = fullBatchGradients(root);
        assertEquals(reference.keySet(), rank0.keySet());
        // A key projection's bias has no gradient in exact arithmetic (softmax ignores a shift shared by all keys): what
        // it gets is rounding, compared against the largest gradient instead of its own.
        double largest = 0;
        for (float[] g : reference.values()) if (g != null) for (float v : g) largest = Math.max(largest, Math.abs(v));
        double worst = 0;
        int compared = 0;
        int withoutGradient = 0;
        for (Map.Entry<String, float[]> e : reference.entrySet()) {
            String name = e.getKey();
            float[] expected = e.getValue();
            assertArrayEquals(rank0.get(name), rank1.get(name), name + ": the ranks hold different averaged gradients");
            if (expected == null) {
                assertNull(rank0.get(name), name + " has no gradient in one process but got one from the ranks");
                withoutGradient++;
                continue;
            }
            float[] actual = rank0.get(name);
            assertNotNull(actual, name + " lost its gradient");
            double scale = 0;
            double diff = 0;
            for (int k = 0; k < expected.length; k++) {
                scale = Math.max(scale, Math.abs(expected[k]));
                diff = Math.max(diff, Math.abs(expected[k] - actual[k]));
            }
            if (scale == 0) continue;
            if (name.endsWith("k_proj.bias")) scale = Math.max(scale, 1e-6 * largest);
            worst = Math.max(worst, diff / scale);
            compared++;
            assertTrue(diff <= 1e-5 * scale, name + ": max difference " + diff + " vs gradient scale " + scale);
        }
        assertTrue(compared > 20, "only " + compared + " parameters had gradients to compare");
        assertTrue(reference.get("model.vision_tower.vision_model.embeddings.patch_embedding.weight") != null,
                "the vision tower should have a gradient (from rank 0's images)");
        System.out.printf("data-parallel gradients vs one process: %d parameters compared (%d without gradient in both), "
                + "max relative difference %.2e%n", compared, withoutGradient, worst);
    }

    /** One process, the whole global batch, the mean loss: what the two ranks together must reproduce. */
    private static Map<String, float[]> fullBatchGradients(Path root) throws IOException {
        Path file = Files.createTempFile("vco4j-reference-grads", ".bin");
        try (PretrainedVlm vlm = PretrainedVlm.load(root.resolve("tiny"), ParameterFactory.cpuFloat32());
             PointerScope scope = new PointerScope()) {
            vlm.model().module().requiresGrad(true);
            Map<String, Tensor> parameters = vlm.model().module().namedParameters();
            new Scorer(vlm.model(), vlm.processor()).score(globalBatch(root), false).logps().mean().neg().backward();
            DistributedProbe.writeGradients(parameters, file);
            return readGradients(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Gradients by parameter name; null for a parameter without gradient. */
    private static Map<String, float[]> readGradients(Path file) throws IOException {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (DataInputStream data = new DataInputStream(Files.newInputStream(file))) {
            int count = data.readInt();
            for (int i = 0; i < count; i++) {
                String name = data.readUTF();
                boolean defined = data.readBoolean();
                float[] values = new float[data.readInt()];
                for (int k = 0; k < values.length; k++) values[k] = data.readFloat();
                out.put(name, defined ? values : null);
            }
        }
        return out;
    }

    private static void assertValues(String expected, String actual, RankProcesses.Result rank) {
        double[] e = Arrays.stream(expected.split(" ")).mapToDouble(Double::parseDouble).toArray();
        double[] a = Arrays.stream(actual.split(" ")).mapToDouble(Double::parseDouble).toArray();
        assertArrayEquals(e, a, 1e-6, "rank " + rank.rank() + ": expected " + expected + " but got " + actual);
    }
}
