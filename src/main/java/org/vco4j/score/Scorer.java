package org.vco4j.score;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;
import org.vco4j.common.Profiler;
import org.vco4j.model.KvCache;
import org.vco4j.model.NonFiniteOutputException;
import org.vco4j.model.VisionLanguageModel;
import org.vco4j.model.processing.Context;
import org.vco4j.model.processing.ImageInputs;
import org.vco4j.model.processing.PreparedPrompt;
import org.vco4j.model.processing.PreparedResponse;
import org.vco4j.model.processing.VlmProcessor;
import org.vco4j.request.ScoreRequest;
import org.vco4j.tensor.Autocast;
import org.vco4j.tensor.Tensors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The core service: a batch of {@link ScoreRequest}s → summed response log-probabilities.
 *
 * <p>Two ways to compute the same numbers. Without prefix sharing every request is its own right-padded
 * row (images, prompt and response recomputed each time). With prefix sharing, requests whose conditions
 * are equal form a group: the images are encoded and the prompt decoded once, its keys and values are
 * expanded over the group's responses, and gradients reach the prefix from every response that reads it.
 *
 * <p>Runs under the caller's autograd mode and pointer scope; {@link #scoreWithoutGrad} is the reference
 * path. Callers wrap each call in a {@link org.bytedeco.javacpp.PointerScope}.
 */
public final class Scorer {
    private final VisionLanguageModel model;
    private final VlmProcessor processor;
    private final ScalarType autocast; // null: the parameters' own precision throughout
    private final int padToMultipleOf;
    private boolean keepNext;
    private Map<List<Path>, Tensor> keptFeatures = new LinkedHashMap<>(); // from the call before, by image files
    private Map<List<Path>, Tensor> nextKeptFeatures = new LinkedHashMap<>();

    public Scorer(VisionLanguageModel model, VlmProcessor processor) {
        this(model, processor, null);
    }

    public Scorer(VisionLanguageModel model, VlmProcessor processor, ScalarType autocast) {
        this(model, processor, autocast, 1);
    }

    /**
     * @param autocast the dtype of the matrix products in a mixed-precision forward ({@link Autocast}), the
     *                 parameters staying in theirs; null for none. Log-probabilities are summed in float32 either way.
     */
    /**
     * @param padToMultipleOf every padded width (rows, shared prefixes, responses after them) rounded up to a multiple
     *                        of this, as transformers' {@code pad_to_multiple_of}: a run then meets a few shapes again and
     *                        again instead of a new one in most steps (what a GPU's caching allocator and CUDA graphs
     *                        want); 1 pads to the longest row only
     */
    public Scorer(VisionLanguageModel model, VlmProcessor processor, ScalarType autocast, int padToMultipleOf) {
        if (padToMultipleOf < 1) throw new IllegalArgumentException("pad_to_multiple_of must be ≥ 1, got " + padToMultipleOf);
        this.model = model;
        this.processor = processor;
        this.autocast = autocast;
        this.padToMultipleOf = padToMultipleOf;
    }

    /** Scores with the current autograd mode. */
    public ScoredBatch score(List<ScoreRequest> requests, boolean sharePrefixes) {
        try {
            if (requests.isEmpty()) throw new IllegalArgumentException("nothing to score: the batch is empty");
            List<PreparedResponse> responses = new ArrayList<>();
            for (ScoreRequest request : requests) responses.add(prepareResponse(request));
            try (Autocast region = Autocast.region(device(), autocast)) {
                return sharePrefixes ? scoreShared(requests, responses) : scorePadded(requests, responses);
            }
        } finally {
            rotateKeptFeatures();
        }
    }

    /** Scores without building an autograd graph (reference model, evaluation). */
    public ScoredBatch scoreWithoutGrad(List<ScoreRequest> requests, boolean sharePrefixes) {
        try (NoGradGuard guard = new NoGradGuard()) {
            ScoredBatch batch = score(requests, sharePrefixes);
            requireFinite(requests, batch.logps());
            return new ScoredBatch(batch.logps().detach(), batch.tokens());
        }
    }

    /**
     * One read of the batch's values (a host round trip); when one is not finite, names the first request whose log-probability is NaN
     * or infinite. (Training paths leave this to the trainer, which names the step and samples.)
     */
    private static void requireFinite(List<ScoreRequest> requests, Tensor logps) {
        float[] values = Tensors.toFloatArray(logps);
        boolean finite = true;
        for (float value : values) finite &= Float.isFinite(value);
        if (finite) return;
        int bad = 0;
        int count = 0;
        for (int i = values.length - 1; i >= 0; i--) {
            if (!Float.isFinite(values[i])) {
                bad = i;
                count++;
            }
        }
        throw new NonFiniteOutputException("request '" + requests.get(bad).id() + "': the log-probability is "
                + values[bad] + (count > 1 ? " (and " + (count - 1) + " more request(s) in its batch)" : "")
                + "; the model's outputs are not finite (do its weights hold NaN or infinite values?)");
    }

    private PreparedResponse prepareResponse(ScoreRequest request) {
        try {
            return processor.prepareResponse(request.response(), request.maskSpans());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("request '" + request.id() + "': " + e.getMessage(), e);
        }
    }

    private PreparedPrompt preparePrompt(ScoreRequest request) {
        try {
            return Profiler.time("inputs: images decoded, text tokenized", () -> processor.prepare(request.context()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("request '" + request.id() + "': " + e.getMessage(), e);
        }
    }

    private void checkLength(ScoreRequest request, int promptLength, int responseLength) {
        int total = promptLength + responseLength;
        if (total > model.maxPositions()) {
            throw new IllegalArgumentException("request '" + request.id() + "': " + promptLength + " prompt and image tokens + "
                    + responseLength + " response tokens = " + total + " exceed the model's maximum of "
                    + model.maxPositions() + " positions");
        }
    }

    /**
     * Every request as its own right-padded row, the scheme of the papers' reference code, with two savings that
     * leave every number as it was: rows of very different lengths (an image request and a text-only one) run in
     * separate batches ({@link PaddingBuckets}) instead of the short ones being padded to the longest, and an image
     * that several rows show goes through the vision tower once.
     */
    private ScoredBatch scorePadded(List<ScoreRequest> requests, List<PreparedResponse> responses) {
        int n = requests.size();
        List<long[]> inputs = new ArrayList<>();
        List<ImageInputs> images = new ArrayList<>();
        int[] promptLengths = new int[n];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            PreparedPrompt prompt = preparePrompt(requests.get(i));
            long[] response = responses.get(i).ids();
            checkLength(requests.get(i), prompt.ids().length, response.length);
            promptLengths[i] = prompt.ids().length;
            // The last response token is only ever a target, never an input.
            long[] input = Arrays.copyOf(prompt.ids(), prompt.ids().length + response.length - 1);
            System.arraycopy(response, 0, input, prompt.ids().length, response.length - 1);
            inputs.add(input);
            images.add(prompt.images());
            lengths[i] = input.length;
        }
        List<int[]> buckets = PaddingBuckets.split(lengths);
        List<ScoredBatch> parts = new ArrayList<>();
        for (int[] rows : buckets) parts.add(scoreRows(rows, requests, responses, inputs, images, promptLengths));
        return inRequestOrder(parts, buckets, n);
    }

    /** The given rows (indices into the requests) as one right-padded batch, in that order. */
    private ScoredBatch scoreRows(int[] rows, List<ScoreRequest> requests, List<PreparedResponse> responses,
                                  List<long[]> inputs, List<ImageInputs> images, int[] promptLengths) {
        int n = rows.length;
        int width = padded(Arrays.stream(rows).map(i -> inputs.get(i).length).max().orElseThrow());
        long[] ids = new long[n * width];
        long[] valid = new long[n * width];
        List<ScoreRequest> rowRequests = new ArrayList<>();
        List<ImageInputs> rowImages = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            long[] input = inputs.get(rows[k]);
            System.arraycopy(input, 0, ids, k * width, input.length);
            Arrays.fill(valid, k * width, k * width + input.length, 1);
            rowRequests.add(requests.get(rows[k]));
            rowImages.add(images.get(rows[k]));
        }
        Tensor inputIds = Tensors.upload(Tensors.longs(ids, n, width), device(), ScalarType.Long);
        Tensor keyValid = Tensors.upload(Tensors.longs(valid, n, width), device(), ScalarType.Bool);
        ImageInputs allImages = ImageInputs.concat(rowImages);
        Tensor features = distinctImageFeatures(rowRequests.stream().map(r -> r.context().images()).toList(), rowImages);
        Tensor positionIds = model.positionIds(inputIds, allImages, keyValid, null);
        // Only the positions predicting a response token are read, the first of them at the end of its prompt.
        int readFrom = Arrays.stream(rows).map(i -> promptLengths[i] - 1).min().orElseThrow();
        // Right padding: no key mask needed (decode's contract); the positions still count real tokens only.
        Tensor hidden = Profiler.time("decoder: whole sequences",
                () -> model.decode(model.embed(inputIds, features), positionIds, null, null, readFrom));

        int read = width - readFrom;
        TokenGather gather = new TokenGather();
        for (int k = 0; k < n; k++) {
            PreparedResponse response = responses.get(rows[k]);
            for (int t = 0; t < response.ids().length; t++) {
                gather.add(k, (long) k * read + promptLengths[rows[k]] - 1 - readFrom + t, response.ids()[t],
                        response.counted()[t]);
            }
        }
        return gather.sum(hidden.reshape(-1, hidden.size(2)), n);
    }

    /**
     * The feature rows of every row's images ({@code images}, null for none), in row order, as {@link #imageFeatures}
     * would give them, but each distinct image list ({@code keys}: its files) encoded once and its rows repeated for
     * the other rows showing it, and none encoded that the call before kept ({@link #keepImageFeaturesForNextCall}).
     */
    private Tensor distinctImageFeatures(List<List<Path>> keys, List<ImageInputs> images) {
        Map<List<Path>, Integer> distinct = new LinkedHashMap<>();
        List<ImageInputs> distinctInputs = new ArrayList<>();
        long requested = 0;
        for (int i = 0; i < keys.size(); i++) {
            ImageInputs inputs = images.get(i);
            if (inputs == null) continue;
            requested += inputs.slots();
            if (distinct.putIfAbsent(keys.get(i), distinctInputs.size()) == null) distinctInputs.add(inputs);
        }
        if (distinctInputs.isEmpty()) return null;
        List<List<Path>> distinctKeys = new ArrayList<>(distinct.keySet());
        List<ImageInputs> toEncode = new ArrayList<>();
        for (int d = 0; d < distinctKeys.size(); d++) {
            if (!keptFeatures.containsKey(distinctKeys.get(d))) toEncode.add(distinctInputs.get(d));
        }
        Tensor encoded = toEncode.isEmpty() ? null : imageFeatures(ImageInputs.concat(toEncode));
        List<Tensor> parts = new ArrayList<>();
        long[] offsets = new long[distinctKeys.size()];
        long rows = 0;
        long encodedRows = 0;
        for (int d = 0; d < distinctKeys.size(); d++) {
            long slots = distinctInputs.get(d).slots();
            Tensor part = keptFeatures.get(distinctKeys.get(d));
            if (part == null) {
                part = encoded.narrow(0, encodedRows, slots);
                encodedRows += slots;
            }
            if (keepNext) keep(nextKeptFeatures, distinctKeys.get(d), part);
            parts.add(part);
            offsets[d] = rows;
            rows += slots;
        }
        Tensor features = toEncode.size() == distinctKeys.size() ? encoded : Tensors.cat(parts, 0);
        if (requested == rows) return features;
        long[] index = new long[Math.toIntExact(requested)];
        int at = 0;
        for (int i = 0; i < keys.size(); i++) {
            ImageInputs inputs = images.get(i);
            if (inputs == null) continue;
            long start = offsets[distinct.get(keys.get(i))];
            for (long r = 0; r < inputs.slots(); r++) index[at++] = start + r;
        }
        return features.index_select(0, Tensors.upload(Tensors.longs(index), device(), ScalarType.Long));
    }

    /**
     * The next call keeps the image features it computes (beyond its pointer scope) for the call after it, which
     * encodes none of those images again. For the live reference's pass before the policy's when the vision tower and
     * projector are frozen and carry no adapter, so that their features are the same in both: each image then goes
     * through the tower once per step instead of twice.
     */
    public void keepImageFeaturesForNextCall() {
        keepNext = true;
    }

    private static void keep(Map<List<Path>, Tensor> kept, List<Path> key, Tensor rows) {
        if (kept.containsKey(key)) return;
        rows.retainReference();
        kept.put(key, rows);
    }

    /** After a call: what it kept replaces what it was given, which is released. */
    private void rotateKeptFeatures() {
        keptFeatures.values().forEach(Tensor::releaseReference);
        keptFeatures = nextKeptFeatures;
        nextKeptFeatures = new LinkedHashMap<>();
        keepNext = false;
    }

    /**
     * Requests grouped by condition; each group's prefix is computed once. Prefixes of similar length (the image
     * conditions; the text-only ones) run as one right-padded batch ({@link PaddingBuckets}) and all their groups'
     * responses as another, each response reading its group's cached keys and values: two large calls per bucket
     * instead of two per group, which matters because attention over one short batch row uses the CPU poorly.
     * Padding inside the prefix block is masked out and skipped by the position ids.
     */
    private ScoredBatch scoreShared(List<ScoreRequest> requests, List<PreparedResponse> responses) {
        Map<Context, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            groups.computeIfAbsent(requests.get(i).context(), c -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> members = new ArrayList<>(groups.values());
        List<PreparedPrompt> prompts = new ArrayList<>();
        for (List<Integer> group : members) {
            PreparedPrompt prompt = preparePrompt(requests.get(group.get(0)));
            for (int m : group) checkLength(requests.get(m), prompt.ids().length, responses.get(m).ids().length);
            prompts.add(prompt);
        }
        List<int[]> buckets = PaddingBuckets.split(prompts.stream().mapToInt(p -> p.ids().length).toArray());
        List<ScoredBatch> parts = new ArrayList<>();
        List<int[]> partRows = new ArrayList<>();
        for (int[] bucket : buckets) {
            List<List<Integer>> bucketMembers = new ArrayList<>();
            List<PreparedPrompt> bucketPrompts = new ArrayList<>();
            for (int group : bucket) {
                bucketMembers.add(members.get(group));
                bucketPrompts.add(prompts.get(group));
            }
            List<List<Path>> imageKeys = bucketMembers.stream().map(m -> requests.get(m.get(0)).context().images()).toList();
            parts.add(scoreSharedGroups(bucketPrompts, imageKeys, bucketMembers, responses));
            partRows.add(bucketMembers.stream().flatMap(List::stream).mapToInt(Integer::intValue).toArray());
        }
        return inRequestOrder(parts, partRows, requests.size());
    }

    /**
     * The requests of the given groups (each group's prompt given, its members indices into {@code responses}) in
     * the order of the groups and their members: the prefixes as one right-padded batch, the responses as another.
     */
    private ScoredBatch scoreSharedGroups(List<PreparedPrompt> prompts, List<List<Path>> imageKeys,
                                         List<List<Integer>> members, List<PreparedResponse> allResponses) {
        int groupCount = prompts.size();
        List<PreparedResponse> responses = new ArrayList<>();
        List<Integer> groupOf = new ArrayList<>();
        for (int g = 0; g < groupCount; g++) {
            for (int m : members.get(g)) {
                responses.add(allResponses.get(m));
                groupOf.add(g);
            }
        }
        int prefixWidth = padded(prompts.stream().mapToInt(p -> p.ids().length).max().orElseThrow());
        long[] prefixIds = new long[groupCount * prefixWidth];
        long[] prefixValid = new long[groupCount * prefixWidth];
        List<ImageInputs> images = new ArrayList<>();
        for (int k = 0; k < groupCount; k++) {
            long[] prompt = prompts.get(k).ids();
            System.arraycopy(prompt, 0, prefixIds, k * prefixWidth, prompt.length);
            Arrays.fill(prefixValid, k * prefixWidth, k * prefixWidth + prompt.length, 1);
            images.add(prompts.get(k).images());
        }
        Tensor prefixKeyValid = Tensors.upload(Tensors.longs(prefixValid, groupCount, prefixWidth), device(), ScalarType.Bool);
        ImageInputs allImages = ImageInputs.concat(images);
        Tensor features = distinctImageFeatures(imageKeys, images);
        try (KvCache prefix = new KvCache(model.decoderLayers())) {
            Tensor prefixInput = Tensors.upload(Tensors.longs(prefixIds, groupCount, prefixWidth), device(), ScalarType.Long);
            Tensor prefixEmbeds = model.embed(prefixInput, features);
            Tensor prefixPositions = model.positionIds(prefixInput, allImages, prefixKeyValid, prefix);
            // Of the prefixes' outputs only each one's last is read (it predicts the first response token).
            int readFrom = prompts.stream().mapToInt(p -> p.ids().length - 1).min().orElseThrow();
            Tensor prefixHidden = Profiler.time("decoder: shared prefixes",
                    () -> model.decode(prefixEmbeds, prefixPositions, null, prefix, readFrom)); // right-padded, empty cache

            Tensor flatPrefix = prefixHidden.reshape(-1, prefixHidden.size(2));

            int n = responses.size();
            long[] lastPrefixRow = new long[n];
            long[] groupIndex = new long[n];
            int width = 0; // response inputs: every token but the last
            for (int i = 0; i < n; i++) {
                int g = groupOf.get(i);
                groupIndex[i] = g;
                lastPrefixRow[i] = (long) g * (prefixWidth - readFrom) + prompts.get(g).ids().length - 1 - readFrom;
                width = Math.max(width, responses.get(i).ids().length - 1);
            }
            width = padded(width);
            Tensor hidden = flatPrefix.index_select(0, Tensors.upload(Tensors.longs(lastPrefixRow), device(), ScalarType.Long)).unsqueeze(1);
            if (width > 0) {
                long[] ids = new long[n * width];
                long[] valid = new long[n * width];
                for (int i = 0; i < n; i++) {
                    long[] response = responses.get(i).ids();
                    System.arraycopy(response, 0, ids, i * width, response.length - 1);
                    Arrays.fill(valid, i * width, i * width + response.length - 1, 1);
                }
                Tensor rows = Tensors.upload(Tensors.longs(groupIndex), device(), ScalarType.Long);
                Tensor keyValid = torch.cat(new org.bytedeco.pytorch.TensorVector(prefixKeyValid.index_select(0, rows),
                        Tensors.upload(Tensors.longs(valid, n, width), device(), ScalarType.Bool)), 1);
                Tensor responseIds = Tensors.upload(Tensors.longs(ids, n, width), device(), ScalarType.Long);
                try (KvCache perResponse = prefix.select(rows)) {
                    Tensor responsePositions = model.positionIds(responseIds, null, keyValid, perResponse);
                    Tensor responseHidden = Profiler.time("decoder: responses after their prefix",
                            () -> model.decode(model.embed(responseIds, null), responsePositions, keyValid, perResponse));
                    hidden = torch.cat(new org.bytedeco.pytorch.TensorVector(hidden, responseHidden), 1);
                }
            }
            TokenGather gather = new TokenGather();
            for (int i = 0; i < n; i++) {
                PreparedResponse response = responses.get(i);
                for (int t = 0; t < response.ids().length; t++) {
                    gather.add(i, (long) i * (width + 1) + t, response.ids()[t], response.counted()[t]);
                }
            }
            return gather.sum(hidden.reshape(-1, hidden.size(2)), n);
        }
    }

    /** Parts scored separately (part k holds the requests {@code rows.get(k)}, in that order) in request order. */
    private ScoredBatch inRequestOrder(List<ScoredBatch> parts, List<int[]> rows, int n) {
        if (parts.size() == 1 && Arrays.equals(rows.get(0), java.util.stream.IntStream.range(0, n).toArray())) {
            return parts.get(0);
        }
        long[] order = new long[n];
        long[] tokens = new long[n];
        int at = 0;
        List<Tensor> sums = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            sums.add(parts.get(p).logps());
            int[] partRows = rows.get(p);
            for (int k = 0; k < partRows.length; k++) {
                order[partRows[k]] = at++;
                tokens[partRows[k]] = parts.get(p).tokens()[k];
            }
        }
        Tensor inOrder = Tensors.cat(sums, 0).index_select(0, Tensors.upload(Tensors.longs(order), device(), ScalarType.Long));
        return new ScoredBatch(inOrder, tokens);
    }

    /** {@code width} rounded up to the padding multiple (0 stays 0). */
    private int padded(int width) {
        return (width + padToMultipleOf - 1) / padToMultipleOf * padToMultipleOf;
    }

    private org.bytedeco.pytorch.Device device() {
        return model.parameters().device();
    }

    /** Feature rows of the prompts' images (concatenated in order); null when no prompt has an image. */
    private Tensor imageFeatures(ImageInputs all) {
        return all == null ? null : model.encodeImages(all);
    }

    /** Collects (row, hidden position, target token, counted) and reduces them to per-row sums. */
    private final class TokenGather {
        private final List<Long> rows = new ArrayList<>();
        private final List<Long> positions = new ArrayList<>();
        private final List<Long> targets = new ArrayList<>();
        private final List<Boolean> counted = new ArrayList<>();

        void add(int row, long position, long target, boolean count) {
            rows.add((long) row);
            positions.add(position);
            targets.add(target);
            counted.add(count);
        }

        ScoredBatch sum(Tensor flatHidden, int rowCount) {
            return Profiler.time("head: logits and log-probs", () -> reduce(flatHidden, rowCount));
        }

        private ScoredBatch reduce(Tensor flatHidden, int rowCount) {
                Tensor index = Tensors.upload(toTensor(positions), device(), ScalarType.Long);
            Tensor target = Tensors.upload(toTensor(targets), device(), ScalarType.Long);
            Tensor row = Tensors.upload(toTensor(rows), device(), ScalarType.Long);
            float[] weights = new float[counted.size()];
            long[] tokens = new long[rowCount];
            for (int i = 0; i < weights.length; i++) {
                if (counted.get(i)) {
                    weights[i] = 1f;
                    tokens[rows.get(i).intValue()]++;
                }
            }
            Tensor logits = model.logits(flatHidden.index_select(0, index)).to(ScalarType.Float);
            Tensor tokenLogps = logits.log_softmax(-1).gather(1, target.unsqueeze(1)).squeeze(1);
            Tensor weighted = tokenLogps.mul(Tensors.upload(Tensors.floats(weights), device(), ScalarType.Float));
            Tensor sums = torch.zeros(new long[] {rowCount}, model.parameters().options(ScalarType.Float))
                    .index_add(0, row, weighted);
            return new ScoredBatch(sums, tokens);
        }

        private Tensor toTensor(List<Long> values) {
            return Tensors.longs(values.stream().mapToLong(Long::longValue).toArray());
        }
    }
}
