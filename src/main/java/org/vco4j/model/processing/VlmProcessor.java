package org.vco4j.model.processing;

import org.vco4j.model.image.DecodedImages;
import org.vco4j.model.image.ImageDimensions;
import org.vco4j.model.image.ImageLoadException;
import org.vco4j.model.image.ImageLoader;
import org.vco4j.model.image.RgbImage;
import org.vco4j.model.tokenizer.TextTokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hugging Face's processor for a vision-language model: chat template, tokenizer and image processor,
 * with each image placeholder expanded to the number of feature slots the model fills for that image.
 *
 * <p>Prompt and response are tokenized separately (as LLaVA's own training code does) so that a prompt's
 * ids are an exact prefix of every prompt + response sequence: that is what lets responses share a
 * computed prefix.
 *
 * @param images        the family's image processor: slots per image and pixel inputs
 * @param imageTokenId  the id that marks one image feature slot
 * @param maxPositions  the longest sequence (prompt with its image slots, response, end of sequence) the model takes
 */
public record VlmProcessor(TextTokenizer tokenizer, ImagePreprocessor images, ChatTemplate template,
                           int imageTokenId, long endOfSequenceId, int maxPositions) {

    /**
     * Token ids of the templated prompt, image slots expanded, under {@link Context}'s prompt rule; fails when
     * placeholders and images disagree. Reads only the images' headers.
     */
    public long[] promptIds(Context context) {
        List<ImageDimensions> dimensions = new ArrayList<>();
        for (Path image : context.images()) {
            try {
                dimensions.add(ImageLoader.dimensions(image));
            } catch (ImageLoadException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return promptIds(context, dimensions);
    }

    /** Image-token slots of each image of one prompt, from the images' dimensions. */
    public int[] slots(List<ImageDimensions> dimensions) {
        return images.slots(dimensions);
    }

    private long[] promptIds(Context context, List<ImageDimensions> dimensions) {
        Context condition = context.withDefaultPlaceholders();
        int placeholders = condition.placeholders();
        if (placeholders != condition.images().size()) {
            throw new IllegalArgumentException("the prompt has " + placeholders + " " + Context.IMAGE_PLACEHOLDER
                    + " placeholder(s) but " + condition.images().size() + " image(s) were given: \""
                    + abbreviate(condition.prompt()) + "\"");
        }
        long[] ids = tokenizer.encode(template.render(condition.prompt()), true);
        long found = Arrays.stream(ids).filter(id -> id == imageTokenId).count();
        if (found != placeholders) {
            throw new IllegalStateException("the tokenizer turned " + placeholders + " image placeholder(s) into "
                    + found + " image token(s) (id " + imageTokenId + "): is " + Context.IMAGE_PLACEHOLDER
                    + " a special token of this tokenizer?");
        }
        int[] slots = images.slots(dimensions);
        long[] expanded = new long[(int) (ids.length - found + Arrays.stream(slots).asLongStream().sum())];
        int at = 0;
        int image = 0;
        for (long id : ids) {
            if (id == imageTokenId) {
                int n = slots[image++];
                Arrays.fill(expanded, at, at + n, imageTokenId);
                at += n;
            } else {
                expanded[at++] = id;
            }
        }
        return expanded;
    }

    /** Positions a response takes after its prompt: its tokens and the end of sequence. */
    public int responseLength(String response) {
        return tokenizer.encode(response, false).length + 1;
    }

    /** Token ids and image inputs of a condition. */
    public PreparedPrompt prepare(Context condition) {
        List<RgbImage> loaded = load(condition.images());
        List<ImageDimensions> dimensions = loaded.stream().map(ImageDimensions::of).toList();
        ImageInputs inputs = loaded.isEmpty() ? null : images.preprocess(loaded)
                .named(condition.images().stream().map(f -> f.getFileName().toString()).toList());
        return new PreparedPrompt(promptIds(condition, dimensions), inputs);
    }

    private static List<RgbImage> load(List<Path> files) {
        List<RgbImage> loaded = new ArrayList<>();
        for (Path file : files) {
            try {
                loaded.add(DecodedImages.shared().load(file));
            } catch (ImageLoadException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return loaded;
    }

    /**
     * The response's ids followed by end-of-sequence. With character spans, only tokens overlapping a span
     * count (the end-of-sequence token never does); an empty selection is an error.
     */
    public PreparedResponse prepareResponse(String response, List<int[]> maskSpans) {
        long[] text = tokenizer.encode(response, false);
        if (Arrays.stream(text).anyMatch(id -> id == imageTokenId)) {
            throw new IllegalArgumentException("the response holds the image token (id " + imageTokenId + "): \""
                    + abbreviate(response) + "\"; images belong in the prompt");
        }
        long[] ids = Arrays.copyOf(text, text.length + 1);
        ids[text.length] = endOfSequenceId;
        boolean[] counted = new boolean[ids.length];
        if (maskSpans == null) {
            Arrays.fill(counted, true);
        } else {
            boolean[] selected = tokenizer.tokenize(response, false).tokenMask(maskSpans);
            System.arraycopy(selected, 0, counted, 0, selected.length);
        }
        PreparedResponse prepared = new PreparedResponse(ids, counted);
        if (prepared.countedTokens() == 0) {
            throw new IllegalArgumentException("the token mask " + spans(maskSpans) + " selects no token of the response \""
                    + abbreviate(response) + "\"");
        }
        return prepared;
    }

    /** Text of generated ids, special tokens removed. */
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    private static String spans(List<int[]> spans) {
        return spans.stream().map(Arrays::toString).toList().toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
