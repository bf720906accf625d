package org.vco4j.data.mining;

/**
 * One CLIP-blind pair (JoMPO's VTC, after Tong et al.'s MMVP): two images CLIP finds alike and DINOv2 does not.
 *
 * @param first        row of the first image ({@code first < second})
 * @param second       row of the second image
 * @param clipCosine   their CLIP cosine
 * @param dinov2Cosine their DINOv2 cosine
 */
public record ClipBlindPair(int first, int second, float clipCosine, float dinov2Cosine) {}
