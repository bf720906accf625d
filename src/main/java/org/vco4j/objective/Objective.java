package org.vco4j.objective;

import org.vco4j.request.Request;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A training objective written as a function of sequence log-probabilities.
 *
 * <p>A trainer uses an objective in four steps per batch:
 * <ol>
 *   <li>{@link #drawSwaps} decides, per sample, the image order of any multi-image context;</li>
 *   <li>the scorer computes policy and reference log-probs for every {@link #requests() request}, building
 *       multi-image contexts in the drawn order;</li>
 *   <li>it fills a {@link LogProbTable} (with the same swap flags);</li>
 *   <li>{@link #compute} returns the loss and metrics.</li>
 * </ol>
 *
 * <p>An objective never sees a model, an image or a tokenizer. Its hyper-parameters start at the papers'
 * defaults and are set by name; settings may change the requests (a switched-off term reads nothing).
 */
public interface Objective {
    /** The command-line name, e.g. {@code s-vco}. */
    String name();

    /** The method and its paper, one line. */
    String title();

    /** The log-probabilities one sample needs under the current settings, each exactly once. */
    List<Request> requests();

    /**
     * The batch loss (mean over samples of the per-sample loss unless the formula says otherwise) and
     * metrics. Reads only declared requests.
     *
     * @throws IllegalArgumentException when a read request has an empty token mask (naming the sample)
     * @throws IllegalStateException    when the settings switch every term off
     */
    ObjectiveOutput compute(LogProbTable table);

    /**
     * False when the loss reads no reference log-probs (SFT): a trainer may then skip the reference model
     * and put any tensor of the right shape, such as zeros, as the reference in the table.
     */
    default boolean usesReference() {
        return true;
    }

    /** The formula in plain ASCII text, with the paper's equation numbers. */
    String formula();

    /** The hyper-parameters, settable by name. */
    Hyperparameters hyperparameters();

    /** Sets hyper-parameter {@code key} from text; see {@link Hyperparameters#set}. Returns this objective. */
    default Objective set(String key, String value) {
        hyperparameters().set(key, value);
        return this;
    }

    /**
     * Per sample, whether its multi-image context {@code M} is shown as {@code [m', m]} instead of
     * {@code [m, m']}. Objectives that show both images in one context draw this from {@code random} (a
     * seeded generator the trainer owns, so runs repeat); the others return all false. The anchor prompts
     * follow the images: when sample i is swapped, {@code x^} (anchored to {@code m}) names the second image.
     */
    default boolean[] drawSwaps(int batchSize, RandomGenerator random) {
        return new boolean[batchSize];
    }
}
