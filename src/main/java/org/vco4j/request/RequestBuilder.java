package org.vco4j.request;

import org.vco4j.data.Sample;
import org.vco4j.data.Span;
import org.vco4j.model.processing.Context;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.vco4j.model.processing.Context.IMAGE_PLACEHOLDER;

/**
 * The bridge from an objective's roles to concrete inputs: turns a {@link Request} ({@code y'|M,x^} ...) for
 * one {@link Sample} into a {@link ScoreRequest} with images, prompt, response text and token mask.
 *
 * <table>
 *   <caption>conditions (x = the sample's prompt)</caption>
 *   <tr><th>condition</th><th>images</th><th>prompt</th></tr>
 *   <tr><td>m</td><td>[m]</td><td>{@code <image>\n} + x</td></tr>
 *   <tr><td>m'</td><td>[m']</td><td>{@code <image>\n} + x</td></tr>
 *   <tr><td>none</td><td>[]</td><td>x</td></tr>
 *   <tr><td>m_crop</td><td>[crop of m]</td><td>{@code <image>\n} + x</td></tr>
 *   <tr><td>M,x^</td><td>[m, m'] or, swapped, [m', m]</td><td>{@code <image>\n<image>\n} + x + " " + the anchor naming m's position</td></tr>
 *   <tr><td>M,x^'</td><td>the same</td><td>the same with the anchor naming m''s position</td></tr>
 * </table>
 *
 * <p>A prompt that already holds its one {@code <image>} placeholder keeps it where it is: single-image
 * conditions use it as written, the two-image conditions put both images there ({@code <image>\n<image>}),
 * and the no-image condition drops it together with one newline or space right after it.
 *
 * <p>Responses: {@code y} is the first response (a pair's chosen answer), {@code y'} the second, {@code y_lk}
 * the k-th rejected answer, and a tuple without rejected answers reads {@code y'} as {@code y_l} (see
 * {@link SampleRoles#text}). A masked request carries the response's token mask; a sample without masks
 * gives none, so the request scores the full response, as IC-VCO does for pairs that were not edited.
 *
 * <p>An instance builds an objective's requests for a training run: {@link #prepare} makes mDPO's crop of
 * every sample once, when the data is read, so a training step only looks it up.
 */
public final class RequestBuilder {
    /** IC-VCO's anchor sentence naming the first image of the context. */
    public static final String ANCHOR_FIRST_IMAGE = "Answer based on the first image.";
    /** IC-VCO's anchor sentence naming the second image of the context. */
    public static final String ANCHOR_SECOND_IMAGE = "Answer based on the second image.";

    private final List<Request> requests;
    private final Map<String, Path> crops;

    private RequestBuilder(List<Request> requests, Map<String, Path> crops) {
        this.requests = List.copyOf(requests);
        this.crops = crops;
    }

    /**
     * The builder of {@code requests} for {@code samples}; when a request reads {@code m_crop}, the crop of
     * every sample is made now (PNG files in {@code cropFolder}, drawn from {@code seed}, see {@link MdpoCrop}).
     */
    public static RequestBuilder prepare(List<Request> requests, List<Sample> samples, Path cropFolder, long seed)
            throws IOException {
        Map<String, Path> crops = new HashMap<>();
        if (requests.stream().anyMatch(r -> r.condition() == Condition.CROPPED_IMAGE)) {
            MdpoCrop cropper = new MdpoCrop(cropFolder, seed);
            for (Sample sample : samples) crops.put(sample.id(), cropper.cropFor(sample));
        }
        return new RequestBuilder(requests, crops);
    }

    /** The requests built per sample, in declared order. */
    public List<Request> requests() {
        return requests;
    }

    /** The score requests of a batch: sample-major, the requests in declared order. */
    public List<ScoreRequest> build(List<Sample> samples, boolean[] swapped) {
        List<ScoreRequest> out = new ArrayList<>(samples.size() * requests.size());
        for (int i = 0; i < samples.size(); i++) {
            Sample sample = samples.get(i);
            for (Request request : requests) out.add(build(sample, request, swapped[i], crops.get(sample.id())));
        }
        return out;
    }

    /**
     * The score request for {@code request} on {@code sample}.
     *
     * @param swapped whether the sample's two-image context is shown as {@code [m', m]} (drawn by the
     *                objective's {@code drawSwaps}); ignored by single-image conditions
     * @param crop    the crop of {@code m} (see {@code MdpoCrop}); needed by {@code m_crop} only, may be null otherwise
     * @throws IllegalArgumentException when the sample lacks the image or response the request names
     */
    public static ScoreRequest build(Sample sample, Request request, boolean swapped, Path crop) {
        String text = SampleRoles.text(sample, request.response()).orElseThrow(() -> new IllegalArgumentException(
                "sample '" + sample.id() + "' has no " + request.response() + " for request " + request.name()));
        List<int[]> mask = null;
        if (request.masked()) {
            mask = SampleRoles.mask(sample, request.response()).map(spans -> spans.stream().map(Span::toArray).toList()).orElse(null);
        }
        return new ScoreRequest(id(sample, request, swapped), context(sample, request, swapped, crop), text, mask);
    }

    /**
     * {@code <sample id>/<request name>}, with {@code /swapped} after two-image requests shown as
     * {@code [m', m]}: the id names everything that decides the scored input (the crop is fixed per sample),
     * so it can key a cache of reference log-probs.
     */
    public static String id(Sample sample, Request request, boolean swapped) {
        boolean showsSwap = swapped && request.condition().showsBothImages();
        return sample.id() + "/" + request.name() + (showsSwap ? "/swapped" : "");
    }

    private static Context context(Sample sample, Request request, boolean swapped, Path crop) {
        String x = sample.prompt();
        return switch (request.condition()) {
            case IMAGE -> single(sample.image(), x);
            case CONTRAST_IMAGE -> single(contrastImage(sample, request), x);
            case NO_IMAGE -> Context.textOnly(withoutPlaceholder(x));
            case CROPPED_IMAGE -> {
                if (crop == null) {
                    throw new IllegalArgumentException("request " + request.name() + " on sample '" + sample.id()
                            + "' needs the crop of m, but none was made (see RequestBuilder.prepare)");
                }
                yield single(crop, x);
            }
            case BOTH_IMAGES_ANCHORED_TO_IMAGE -> both(sample, request, swapped, swapped ? ANCHOR_SECOND_IMAGE : ANCHOR_FIRST_IMAGE);
            case BOTH_IMAGES_ANCHORED_TO_CONTRAST -> both(sample, request, swapped, swapped ? ANCHOR_FIRST_IMAGE : ANCHOR_SECOND_IMAGE);
        };
    }

    private static Context single(Path image, String x) {
        return new Context(List.of(image), x).withDefaultPlaceholders();
    }

    private static Context both(Sample sample, Request request, boolean swapped, String anchor) {
        Path m = sample.image();
        Path mPrime = contrastImage(sample, request);
        String x = sample.prompt();
        String twoImages = IMAGE_PLACEHOLDER + "\n" + IMAGE_PLACEHOLDER;
        String prompt = x.contains(IMAGE_PLACEHOLDER) ? x.replace(IMAGE_PLACEHOLDER, twoImages) : twoImages + "\n" + x;
        List<Path> images = swapped ? List.of(mPrime, m) : List.of(m, mPrime);
        return new Context(images, prompt + " " + anchor);
    }

    private static Path contrastImage(Sample sample, Request request) {
        return sample.contrastImage().orElseThrow(() -> new IllegalArgumentException("sample '" + sample.id()
                + "' has no contrasting image m' for request " + request.name()));
    }

    private static String withoutPlaceholder(String x) {
        int at = x.indexOf(IMAGE_PLACEHOLDER);
        if (at < 0) return x;
        int after = at + IMAGE_PLACEHOLDER.length();
        if (after < x.length() && (x.charAt(after) == '\n' || x.charAt(after) == ' ')) after++;
        return x.substring(0, at) + x.substring(after);
    }
}
