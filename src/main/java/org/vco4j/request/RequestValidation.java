package org.vco4j.request;

import org.vco4j.data.Sample;
import org.vco4j.model.processing.Context;
import org.vco4j.model.processing.VlmProcessor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Whether samples hold what an objective's requests read, checked once when the data is read. */
public final class RequestValidation {
    private RequestValidation() {}

    /**
     * Checks that every sample has what the requests of {@code objective} read: {@code m'} for conditions that
     * show the contrasting image, {@code y'}, enough rejected answers. A tuple without rejected answers
     * lends its {@code y'} as {@code y_l} (see {@link SampleRoles#text}), except to an objective that also
     * scores {@code y'} itself, which would then count one preference twice. A masked request on a sample
     * without masks scores the full response (IC-VCO's reading for pairs that were not edited).
     *
     * @return notes for the user on each such reading, with counts; empty when every request reads exactly
     *         the text and mask it names
     * @throws IllegalArgumentException naming the objective, the first offending sample and what it lacks
     */
    public static List<String> check(String objective, List<Request> requests, List<Sample> samples) {
        if (samples.isEmpty()) throw new IllegalArgumentException("no samples to train " + objective + " on");
        boolean scoresYPrime = requests.stream().anyMatch(r -> r.response().kind() == Response.Kind.Y_PRIME);
        Set<String> unmaskedRequests = new LinkedHashSet<>();
        int unmaskedSamples = 0;
        int lendingSamples = 0;
        for (Sample sample : samples) {
            boolean unmasked = false;
            boolean lends = false;
            for (Request request : requests) {
                String lack = lack(sample, request, scoresYPrime);
                if (lack != null) {
                    throw new IllegalArgumentException("objective " + objective + " scores " + request.name()
                            + ", but sample '" + sample.id() + "' " + lack);
                }
                if (request.masked() && SampleRoles.mask(sample, request.response()).isEmpty()) {
                    unmasked = true;
                    unmaskedRequests.add(request.name());
                }
                lends |= SampleRoles.readsContrastAsRejected(sample, request.response());
            }
            if (unmasked) unmaskedSamples++;
            if (lends) lendingSamples++;
        }
        List<String> notes = new ArrayList<>();
        if (lendingSamples > 0) {
            notes.add(lendingSamples + " of " + samples.size() + " samples have no rejected answer: their y' is read"
                    + " as y_l, the preference y > y' under m");
        }
        if (unmaskedSamples > 0) {
            notes.add(unmaskedSamples + " of " + samples.size() + " samples have no token masks: "
                    + String.join(", ", unmaskedRequests) + " score their full responses");
        }
        return notes;
    }

    /** What {@code sample} lacks for {@code request}, or null. */
    private static String lack(Sample sample, Request request, boolean objectiveScoresYPrime) {
        if (needsContrastImage(request) && sample.contrastImage().isEmpty()) {
            return "has one image and no contrasting image m' (a second entry in \"images\")";
        }
        Response response = request.response();
        if (SampleRoles.text(sample, response).isEmpty()) {
            return switch (response.kind()) {
                case Y -> throw new AssertionError("every sample has y");
                case Y_PRIME -> "has no y' (a second entry in \"responses\")";
                case REJECTED -> "has " + rejectedCount(sample.rejected().size()) + " and needs " + response.index();
            };
        }
        if (objectiveScoresYPrime && SampleRoles.readsContrastAsRejected(sample, response)) {
            return "has no rejected answer; its y' would stand in for y_l, but the objective also scores y' itself,"
                    + " so one preference would count twice: add \"rejected\" answers or switch off the term that"
                    + " reads y_l";
        }
        return null;
    }

    private static String rejectedCount(int count) {
        return switch (count) {
            case 0 -> "no rejected answer";
            case 1 -> "1 rejected answer";
            default -> count + " rejected answers";
        };
    }

    private static boolean needsContrastImage(Request request) {
        return switch (request.condition()) {
            case CONTRAST_IMAGE, BOTH_IMAGES_ANCHORED_TO_IMAGE, BOTH_IMAGES_ANCHORED_TO_CONTRAST -> true;
            case IMAGE, NO_IMAGE, CROPPED_IMAGE -> false;
        };
    }

    /**
     * Checks that every request {@code builder} makes of {@code samples} fits the model; see
     * {@link #checkLengths(List, VlmProcessor, String)}.
     */
    public static void checkLengths(RequestBuilder builder, List<Sample> samples, VlmProcessor processor, String source) {
        checkLengths(builder.build(samples, new boolean[samples.size()]), processor, source);
    }

    /**
     * Checks that every request fits the model: prompt (with its image slots), response and end of sequence
     * within {@link VlmProcessor#maxPositions()}. Run before the model loads, with {@code PretrainedVlm.processorOnly};
     * each distinct prompt and response is tokenized once.
     *
     * @param source names the requests in the message (the data file)
     * @throws IllegalArgumentException in one line: the first request that does not fit, and how many do not
     */
    public static void checkLengths(List<ScoreRequest> requests, VlmProcessor processor, String source) {
        Map<Context, Integer> promptLengths = new HashMap<>();
        Map<String, Integer> responseLengths = new HashMap<>();
        String first = null;
        int tooLong = 0;
        for (ScoreRequest request : requests) {
            String where = source + ": request '" + request.id() + "'";
            int prompt;
            try {
                prompt = promptLengths.computeIfAbsent(request.context(), context -> processor.promptIds(context).length);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            int response = responseLengths.computeIfAbsent(request.response(), processor::responseLength);
            if (prompt + response <= processor.maxPositions()) continue;
            if (first == null) {
                first = where + ": " + (prompt + response) + " positions (prompt " + prompt + " with its image slots, response "
                        + response + ") exceed the model's " + processor.maxPositions();
            }
            tooLong++;
        }
        if (first != null) {
            throw new IllegalArgumentException(first + (tooLong == 1 ? "" : " (" + tooLong + " requests do not fit)"));
        }
    }
}
