package org.vco4j.model.processing;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.image.ImageLoadException;
import org.vco4j.model.image.ImageLoader;
import org.vco4j.model.image.ImageProcessor;
import org.vco4j.model.tokenizer.TextTokenizer;
import org.vco4j.tensor.Tensors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hugging Face's processor for a vision-language model: chat template, tokenizer and image processor,
 * with each image placeholder expanded to the number of feature slots the model fills.
 *
 * <p>Prompt and response are tokenized separately (as LLaVA's own training code does) so that a prompt's
 * ids are an exact prefix of every prompt + response sequence: that is what lets responses share a
 * computed prefix.
 *
 * @param imageTokenId    the id that marks one image feature slot
 * @param tokensPerImage  feature slots each image placeholder expands to
 * @param maxPositions    the longest sequence (prompt with its image slots, response, end of sequence) the model takes
 */
public record VlmProcessor(TextTokenizer tokenizer, ImageProcessor imageProcessor, ChatTemplate template,
                           int imageTokenId, int tokensPerImage, long endOfSequenceId, int maxPositions) {

    /** Token ids of the templated prompt, image slots expanded, under {@link Context}'s prompt rule; fails when placeholders and images disagree. */
    public long[] promptIds(Context context) {
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
        long[] expanded = new long[(int) (ids.length + found * (tokensPerImage - 1))];
        int at = 0;
        for (long id : ids) {
            if (id == imageTokenId) {
                Arrays.fill(expanded, at, at + tokensPerImage, imageTokenId);
                at += tokensPerImage;
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

    /** The condition's images, loaded and preprocessed: [N, 3, H, W], or null when it has none. */
    public Tensor pixelValues(List<Path> images) {
        if (images.isEmpty()) return null;
        List<Tensor> pixels = new ArrayList<>();
        for (Path image : images) {
            try {
                pixels.add(imageProcessor.preprocess(ImageLoader.load(image)));
            } catch (ImageLoadException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return Tensors.stack(pixels, 0);
    }

    /** Token ids and pixel values of a condition. */
    public PreparedPrompt prepare(Context condition) {
        return new PreparedPrompt(promptIds(condition), pixelValues(condition.images()));
    }

    /**
     * The response's ids followed by end-of-sequence. With character spans, only tokens overlapping a span
     * count (the end-of-sequence token never does); an empty selection is an error.
     */
    public PreparedResponse prepareResponse(String response, List<int[]> maskSpans) {
        long[] text = tokenizer.encode(response, false);
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
