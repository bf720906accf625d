package org.vco4j.spark;

import org.apache.spark.broadcast.Broadcast;
import org.bytedeco.pytorch.Tensor;
import org.vco4j.data.mining.ClipBlindSearch;
import org.vco4j.tensor.Tensors;

/**
 * The {@link ClipBlindSearch} of one executor JVM: built once per broadcast from its rows (two libtorch tensors),
 * then shared by every block task the executor runs; a later job's broadcast replaces it and frees the old tensors.
 */
final class ExecutorSearch {
    private static long broadcastId = -1;
    private static Tensor clip;
    private static Tensor dinov2;
    private static ClipBlindSearch search;

    private ExecutorSearch() {}

    static synchronized ClipBlindSearch get(Broadcast<MiningInput> input) {
        if (search == null || broadcastId != input.id()) {
            if (clip != null) {
                clip.close();
                dinov2.close();
            }
            MiningInput rows = input.value();
            // Outside any pointer scope: the tensors live as long as this cache holds them.
            clip = Tensors.floats(rows.clipRows(), rows.ids().size(), rows.clipDim());
            dinov2 = Tensors.floats(rows.dinov2Rows(), rows.ids().size(), rows.dinov2Dim());
            search = new ClipBlindSearch(clip, dinov2, rows.settings());
            broadcastId = input.id();
        }
        return search;
    }
}
