package org.vco4j.data;

import org.vco4j.model.processing.Context;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One training sample, the symmetric contrastive tuple of the papers in its general form: images
 * {@code [m, m']}, a prompt {@code x}, responses {@code [y, y']} with {@code y} true of {@code m} and
 * {@code y'} true of {@code m'}, optional rejected answers {@code y_l, y_l2, ...} for {@code m}, and optional
 * token masks over {@code y} and {@code y'}. A preference pair (DPO, mDPO, SeVa data) is the special case of
 * one image, one response ({@code y}, the chosen answer) and at least one rejected answer. The file format
 * is described in {@code docs/data-format.md}; {@link SampleReader} reads it, {@link SampleWriter} writes it.
 *
 * <p>The constructor checks everything that does not depend on a file; its messages name the field as the
 * data file spells it.
 *
 * @param images       absolute paths, {@code [m]} or {@code [m, m']}
 * @param prompt       the question {@code x}; at most one {@code <image>} placeholder, marking where the image goes
 * @param responses    {@code [y]} or {@code [y, y']}; there is no {@code y'} without {@code m'}
 * @param rejected     rejected answers for {@code m}, in order {@code y_l, y_l2, ...}; may be empty
 * @param masks        empty, or one non-empty list of spans per response (string indices into that response)
 * @param contrast     what differs between {@code m} and {@code m'} (object, attribute, count, position, ...), or null
 * @param source       where the sample came from, or null
 * @param augmentation for SeVa pairs, the augmentation that produced the rejected answers, or null
 */
public record Sample(String id, List<Path> images, String prompt, List<String> responses, List<String> rejected,
                     List<List<Span>> masks, String contrast, String source, String augmentation) {
    /** Appended to a sample's id by {@link #mirrored()}. */
    public static final String MIRRORED_SUFFIX = "/mirrored";

    public Sample {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("field \"id\": must not be empty");
        images = absolute(images);
        if (images.isEmpty() || images.size() > 2) {
            throw new IllegalArgumentException("field \"images\": needs [m] or [m, m'], got " + images.size() + " images");
        }
        if (images.size() == 2 && images.get(0).equals(images.get(1))) {
            throw new IllegalArgumentException("field \"images\"[1]: is the same file as images[0]; m' must differ from m");
        }
        if (prompt == null || prompt.isBlank()) throw new IllegalArgumentException("field \"prompt\": must not be empty");
        int placeholders = placeholders(prompt);
        if (placeholders > 1) {
            throw new IllegalArgumentException("field \"prompt\": has " + placeholders + " " + Context.IMAGE_PLACEHOLDER
                    + " placeholders; write none (the image goes first) or one marking where the image goes");
        }
        responses = List.copyOf(Objects.requireNonNull(responses, "responses"));
        if (responses.isEmpty() || responses.size() > 2) {
            throw new IllegalArgumentException("field \"responses\": needs [y] or [y, y'], got " + responses.size() + " responses");
        }
        if (responses.size() > images.size()) {
            throw new IllegalArgumentException("field \"responses\": y' is true of the second image m', but the sample has one image");
        }
        for (int i = 0; i < responses.size(); i++) checkAnswer(responses.get(i), "responses\"[" + i + "]");
        if (responses.size() == 2 && responses.get(0).equals(responses.get(1))) {
            throw new IllegalArgumentException("field \"responses\"[1]: equals responses[0]; y and y' must differ");
        }
        rejected = List.copyOf(Objects.requireNonNull(rejected, "rejected"));
        for (int k = 0; k < rejected.size(); k++) {
            checkAnswer(rejected.get(k), "rejected\"[" + k + "]");
            if (rejected.get(k).equals(responses.get(0))) {
                throw new IllegalArgumentException("field \"rejected\"[" + k + "]: equals the chosen answer y");
            }
        }
        masks = copyMasks(masks, responses);
        contrast = optional(contrast, "contrast");
        source = optional(source, "source");
        augmentation = optional(augmentation, "augmentation");
    }

    /** A contrastive tuple {@code (m, m', x, y, y')} without masks or labels. */
    public static Sample contrastive(String id, Path image, Path contrastImage, String prompt, String y, String yPrime) {
        return new Sample(id, List.of(image, contrastImage), prompt, List.of(y, yPrime), List.of(), List.of(),
                null, null, null);
    }

    /** A preference pair {@code (m, x, y ≻ y_l, ...)}: one chosen answer and one or more rejected ones. */
    public static Sample preferencePair(String id, Path image, String prompt, String chosen, List<String> rejected) {
        if (rejected.isEmpty()) throw new IllegalArgumentException("field \"rejected\": a preference pair needs a rejected answer");
        return new Sample(id, List.of(image), prompt, List.of(chosen), rejected, List.of(), null, null, null);
    }

    /** This sample with token masks over {@code y} and {@code y'} (one list per response, in that order). */
    public Sample withMasks(List<List<Span>> responseMasks) {
        return new Sample(id, images, prompt, responses, rejected, responseMasks, contrast, source, augmentation);
    }

    /** The image {@code m}. */
    public Path image() {
        return images.get(0);
    }

    /** The contrasting image {@code m'}, if the sample has one. */
    public Optional<Path> contrastImage() {
        return images.size() > 1 ? Optional.of(images.get(1)) : Optional.empty();
    }

    /** True for a full contrastive tuple: two images and a response true of each. */
    public boolean isContrastive() {
        return images.size() == 2 && responses.size() == 2;
    }

    /**
     * The same tuple seen from the other side, {@code (m', x, y' ≻ y)}, with id {@code <id>/mirrored}: the
     * second direction of a symmetric tuple for objectives that read one direction per sample (DPO).
     */
    public Sample mirrored() {
        if (!isContrastive() || !rejected.isEmpty()) {
            throw new IllegalStateException("sample '" + id + "': only a contrastive tuple without rejected answers"
                    + " can be mirrored (rejected answers belong to m)");
        }
        List<List<Span>> swappedMasks = masks.isEmpty() ? List.of() : List.of(masks.get(1), masks.get(0));
        return new Sample(id + MIRRORED_SUFFIX, List.of(images.get(1), images.get(0)), prompt,
                List.of(responses.get(1), responses.get(0)), List.of(), swappedMasks, contrast, source, augmentation);
    }

    private static int placeholders(String text) {
        int count = 0;
        for (int at = text.indexOf(Context.IMAGE_PLACEHOLDER); at >= 0;
             at = text.indexOf(Context.IMAGE_PLACEHOLDER, at + 1)) {
            count++;
        }
        return count;
    }

    private static List<Path> absolute(List<Path> images) {
        List<Path> out = new ArrayList<>();
        for (Path image : Objects.requireNonNull(images, "images")) {
            out.add(Objects.requireNonNull(image, "image path").toAbsolutePath().normalize());
        }
        return List.copyOf(out);
    }

    private static void checkAnswer(String text, String field) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("field \"" + field + ": must not be empty");
        if (text.contains(Context.IMAGE_PLACEHOLDER)) {
            throw new IllegalArgumentException("field \"" + field + ": contains the image placeholder "
                    + Context.IMAGE_PLACEHOLDER + ", which only a prompt may hold");
        }
    }

    private static List<List<Span>> copyMasks(List<List<Span>> masks, List<String> responses) {
        Objects.requireNonNull(masks, "masks");
        if (masks.isEmpty()) return List.of();
        if (masks.size() != responses.size()) {
            throw new IllegalArgumentException("field \"masks\": " + masks.size() + " span lists for "
                    + responses.size() + " responses; give one per response");
        }
        List<List<Span>> copy = new ArrayList<>();
        for (int i = 0; i < masks.size(); i++) {
            List<Span> spans = List.copyOf(masks.get(i));
            String text = responses.get(i);
            if (spans.isEmpty()) {
                throw new IllegalArgumentException("field \"masks\"[" + i + "]: selects nothing; give at least one span");
            }
            for (int k = 0; k < spans.size(); k++) {
                Span span = spans.get(k);
                if (span.end() > text.length() || splitsSurrogatePair(text, span.start()) || splitsSurrogatePair(text, span.end())) {
                    throw new IllegalArgumentException("field \"masks\"[" + i + "][" + k + "]: " + span
                            + " lies outside response " + i + " (" + text.length() + " characters)");
                }
            }
            copy.add(spans);
        }
        return List.copyOf(copy);
    }

    private static boolean splitsSurrogatePair(String text, int index) {
        return index > 0 && index < text.length()
                && Character.isHighSurrogate(text.charAt(index - 1)) && Character.isLowSurrogate(text.charAt(index));
    }

    private static String optional(String value, String field) {
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException("field \"" + field + "\": must not be empty when given");
        }
        return value;
    }
}
