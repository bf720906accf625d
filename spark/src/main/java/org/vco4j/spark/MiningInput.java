package org.vco4j.spark;

import org.vco4j.data.mining.ClipBlindSearch;

import java.io.Serializable;
import java.util.List;

/**
 * What every executor needs to search its blocks, sent once as a broadcast: the image ids in row order and both
 * tables of unit rows (as {@code vco data clip-blind} holds them after reading the embeddings), with the search's
 * settings.
 *
 * @param ids        image ids, sorted (row order)
 * @param clipDim    width of a CLIP row
 * @param clipRows   unit CLIP rows, row-major [ids, clipDim]
 * @param dinov2Dim  width of a DINOv2 row
 * @param dinov2Rows unit DINOv2 rows, row-major [ids, dinov2Dim]
 */
record MiningInput(List<String> ids, int clipDim, float[] clipRows, int dinov2Dim, float[] dinov2Rows,
                   double clipMin, double dinov2Max, int blockSize, int topK) implements Serializable {
    ClipBlindSearch.Settings settings() {
        return new ClipBlindSearch.Settings(clipMin, dinov2Max, blockSize, topK);
    }
}
