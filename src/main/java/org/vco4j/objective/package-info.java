/**
 * Every training objective of the four papers and their baselines, as pure functions of sequence
 * log-probabilities. This package depends on nothing but the tensor layer: an objective never sees a
 * model, an image or a tokenizer.
 *
 * <h2>Contract with the trainer</h2>
 * <ol>
 *   <li>{@link org.vco4j.objective.Objective#requests()} names what one sample needs scored, as
 *       {@link org.vco4j.objective.Request} values ({@code y|m}, {@code y'|M,x^'}, {@code y|m[mask]}, ...);</li>
 *   <li>{@link org.vco4j.objective.Objective#drawSwaps} decides, from the trainer's seeded generator, which
 *       samples show their multi-image context as {@code [m', m]};</li>
 *   <li>the scorer fills a {@link org.vco4j.objective.LogProbTable} with policy log-probs (with autograd),
 *       reference log-probs and token counts, plus the swap flags;</li>
 *   <li>{@link org.vco4j.objective.Objective#compute} returns the scalar loss and the metrics.</li>
 * </ol>
 *
 * <h2>Metric names</h2>
 * TRL style, slash-separated: {@code loss/<term>} (each term's unweighted batch value),
 * {@code <term>/margins} and {@code <term>/accuracies} (mean reward margin and fraction of pairs won, for
 * every Bradley-Terry term), TRL's {@code rewards/chosen|rejected|margins|accuracies} and
 * {@code logps/chosen|rejected} where an objective has one chosen/rejected comparison, {@code logps/<request>}
 * for every request read, and objective-specific ones such as {@code vcdist/active} (IC-VCO adds
 * {@code _first} / {@code _second} for pairs whose anchor names the first / second image). The mirrored
 * direction of a symmetric objective is named {@code _flipped}.
 */
package org.vco4j.objective;

import org.vco4j.request.Request;
