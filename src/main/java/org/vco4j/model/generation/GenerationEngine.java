package org.vco4j.model.generation;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.model.KvCache;
import org.vco4j.model.VisionLanguageModel;
import org.vco4j.model.processing.ImageInputs;
import org.vco4j.model.processing.PreparedPrompt;
import org.vco4j.model.processing.VlmProcessor;
import org.vco4j.tensor.Tensors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Generation for many requests at once by <em>continuous batching</em> over one {@link KvCache}: the running
 * requests decode together, one token each per step; between steps, waiting requests join the batch (their
 * prompts are decoded together, and their keys and values become new rows) and finished ones leave it. Rows of different lengths are aligned at their newest position; the padding in front of the shorter
 * ones is hidden by the decoder's key-valid mask and does not count towards their positions, so every request gets
 * the tokens it would get alone. Padding no row needs any more is dropped when the longest row leaves.
 *
 * <p>All model work runs on the engine's own thread. Requests wait in a bounded queue while the batch is full;
 * {@link #submit} refuses them when the queue is full. {@link #close} stops taking requests and returns once every
 * accepted one has finished.
 */
public final class GenerationEngine implements AutoCloseable {
    private static final long IDLE_POLL_MILLIS = 50;

    private final VisionLanguageModel model;
    private final VlmProcessor processor;
    private final int maxBatch;
    private final BlockingQueue<Job> waiting;
    private final Thread thread;
    private final List<RunningRequest> rows = new ArrayList<>();
    private KvCache cache; // the running rows' keys and values, null while none runs
    private volatile boolean closing;
    private volatile int running;

    /** A submitted request; {@link #cancel()} drops it (no more callbacks) before its next step. */
    public static final class Job {
        private final GenerationRequest request;
        private final GenerationListener listener;
        private volatile boolean cancelled;

        private Job(GenerationRequest request, GenerationListener listener) {
            this.request = request;
            this.listener = listener;
        }

        public void cancel() {
            cancelled = true;
        }
    }

    /**
     * Starts the engine's thread.
     *
     * @param maxBatch      most requests decoded together (1 generates one request after the other)
     * @param queueCapacity most requests waiting for a place in the batch
     */
    public GenerationEngine(VisionLanguageModel model, VlmProcessor processor, int maxBatch, int queueCapacity) {
        if (maxBatch < 1) throw new IllegalArgumentException("the batch size must be ≥ 1, got " + maxBatch);
        if (queueCapacity < 1) throw new IllegalArgumentException("the queue size must be ≥ 1, got " + queueCapacity);
        this.model = model;
        this.processor = processor;
        this.maxBatch = maxBatch;
        this.waiting = new ArrayBlockingQueue<>(queueCapacity);
        this.thread = new Thread(this::run, "generation-engine");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues a request; the listener hears of it on the engine's thread.
     *
     * @throws RejectedExecutionException when the queue is full or the engine is closing ({@link #isClosing})
     */
    public Job submit(GenerationRequest request, GenerationListener listener) {
        if (closing) throw new RejectedExecutionException("the engine is shutting down");
        Job job = new Job(request, listener);
        if (!waiting.offer(job)) {
            throw new RejectedExecutionException("all " + (waiting.size()) + " places in the queue are taken");
        }
        return job;
    }

    public boolean isClosing() {
        return closing;
    }

    /** Requests decoding now. */
    public int running() {
        return running;
    }

    /** Requests waiting for a place in the batch. */
    public int waiting() {
        return waiting.size();
    }

    public int maxBatch() {
        return maxBatch;
    }

    /** Stops taking requests and waits until every accepted one has finished. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            while (true) {
                admit(null);
                if (!rows.isEmpty()) {
                    step();
                    continue;
                }
                if (closing && waiting.isEmpty()) return;
                Job next = waiting.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (next != null) admit(next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // Normally nothing is left; after an Error (out of memory, say) no request may wait forever.
            closing = true;
            IllegalStateException stopped = new IllegalStateException("the generation engine stopped");
            for (RunningRequest row : rows) if (!row.finished) notifyError(row.job, stopped);
            for (Job job = waiting.poll(); job != null; job = waiting.poll()) notifyError(job, stopped);
            rows.clear();
            running = 0;
            if (cache != null) cache.close();
        }
    }

    /** Fills the free places in the batch: {@code first} (may be null) and then requests from the queue. */
    private void admit(Job first) {
        List<Job> joining = new ArrayList<>();
        if (first != null && !first.cancelled) joining.add(first);
        while (rows.size() + joining.size() < maxBatch) {
            Job job = waiting.poll();
            if (job == null) break;
            if (!job.cancelled) joining.add(job);
        }
        if (!joining.isEmpty()) prefill(joining);
    }

    /**
     * Decodes the prompts of joining requests together, left-padded to the longest (one request is decoded exactly
     * as {@link Generator} does), takes each one's first token, and adds them to the batch. A request whose input is
     * bad fails alone; should the joint decode fail, each request is tried alone.
     */
    private void prefill(List<Job> jobs) {
        List<Job> prepared = new ArrayList<>();
        KvCache own = new KvCache(model.decoderLayers());
        List<RunningRequest> joining = new ArrayList<>();
        try (PointerScope scope = new PointerScope()) {
            List<PreparedPrompt> prompts = new ArrayList<>();
            for (Job job : jobs) {
                try {
                    PreparedPrompt prompt = processor.prepare(job.request.condition());
                    Generator.checkLength(prompt.ids().length, job.request.config().maxNewTokens(), model.maxPositions());
                    prompts.add(prompt);
                    prepared.add(job);
                } catch (RuntimeException e) {
                    notifyError(job, e);
                }
            }
            if (prepared.isEmpty()) {
                own.close();
                return;
            }
            int longest = prompts.stream().mapToInt(p -> p.ids().length).max().orElseThrow();
            int count = prompts.size();
            long[] ids = new long[count * longest];
            Arrays.fill(ids, processor.endOfSequenceId()); // padding: any id but the image token's
            for (int i = 0; i < count; i++) {
                long[] prompt = prompts.get(i).ids();
                int padding = longest - prompt.length;
                System.arraycopy(prompt, 0, ids, i * longest + padding, prompt.length);
                RunningRequest row = new RunningRequest(prepared.get(i), prompt.length);
                row.padding = padding;
                joining.add(row);
            }
            var device = model.parameters().device();
            ImageInputs images = ImageInputs.concat(prompts.stream().map(PreparedPrompt::images).toList());
            Tensor features = images == null ? null : model.encodeImages(images);
            Tensor input = Tensors.upload(Tensors.longs(ids, count, longest), device, ScalarType.Long);
            Tensor keyValid = count == 1 ? null : keyValid(joining, longest);
            Tensor positionIds = model.positionIds(input, images, keyValid, own);
            // Left-padded: every row's last prompt token is at the end, the only output read.
            Tensor hidden = model.decode(model.embed(input, features), positionIds, keyValid, own, longest - 1);
            float[] logits = Tensors.toFloatArray(model.logits(hidden));
            int vocab = logits.length / count;
            for (int i = 0; i < count; i++) {
                RunningRequest row = joining.get(i);
                row.first = row.sample(Arrays.copyOfRange(logits, i * vocab, (i + 1) * vocab));
            }
        } catch (RuntimeException e) {
            own.close();
            if (prepared.size() == 1) notifyError(prepared.get(0), e);
            else for (Job job : prepared) prefill(List.of(job));
            return;
        }
        for (RunningRequest row : joining) row.accept(row.first);
        join(joining, own);
    }

    /**
     * Adds the rows of {@code own} to the batch, padding in front whichever side is shorter so that all rows end
     * together, then lets go of those that ended with their first token.
     */
    private void join(List<RunningRequest> joining, KvCache own) {
        if (cache == null) {
            cache = own;
        } else {
            long length = Math.max(cache.length(), own.length());
            long grow = length - cache.length();
            long shift = length - own.length();
            try (PointerScope scope = new PointerScope();
                 KvCache grown = cache.padFront(grow);
                 KvCache added = own.padFront(shift)) {
                KvCache merged = KvCache.concatBatch(grown, added);
                cache.close();
                own.close();
                cache = merged;
            }
            for (RunningRequest r : rows) r.padding += grow;
            for (RunningRequest r : joining) r.padding += shift;
        }
        rows.addAll(joining);
        running = rows.size();
        leave();
    }

    /** One token for every running row: a [B, 1] decode over the shared cache. */
    private void step() {
        for (RunningRequest row : rows) if (row.job.cancelled) row.finished = true;
        if (rows.stream().anyMatch(r -> r.finished)) {
            leave();
            return;
        }
        try (PointerScope scope = new PointerScope()) {
            int batch = rows.size();
            long[] last = rows.stream().mapToLong(r -> r.last).toArray();
            Tensor ids = Tensors.upload(Tensors.longs(last, batch, 1), model.parameters().device(), ScalarType.Long);
            Tensor keyValid = keyValid(rows, cache.length() + 1);
            Tensor positionIds = model.positionIds(ids, null, keyValid, cache);
            Tensor hidden = model.decode(model.embed(ids, null), positionIds, keyValid, cache);
            float[] logits = Tensors.toFloatArray(model.logits(hidden));
            int vocab = logits.length / batch;
            for (int b = 0; b < batch; b++) {
                RunningRequest row = rows.get(b);
                try {
                    row.accept(row.sample(Arrays.copyOfRange(logits, b * vocab, (b + 1) * vocab)));
                } catch (RuntimeException e) {
                    row.finished = true;
                    notifyError(row.job, e);
                }
            }
        } catch (RuntimeException e) {
            for (RunningRequest row : rows) {
                if (!row.finished) notifyError(row.job, e);
                row.finished = true;
            }
        }
        leave();
    }

    /** [rows, width]: true from each row's padding on. */
    private Tensor keyValid(List<RunningRequest> batch, long width) {
        long[] valid = new long[(int) (batch.size() * width)];
        for (int b = 0; b < batch.size(); b++) Arrays.fill(valid, (int) (b * width + batch.get(b).padding), (int) ((b + 1) * width), 1);
        return Tensors.upload(Tensors.longs(valid, batch.size(), width), model.parameters().device(), ScalarType.Bool);
    }

    /** Removes finished rows from the batch and the cache, and the padding no remaining row needs. */
    private void leave() {
        List<Long> kept = new ArrayList<>();
        for (int b = 0; b < rows.size(); b++) if (!rows.get(b).finished) kept.add((long) b);
        if (kept.size() == rows.size()) return;
        rows.removeIf(r -> r.finished);
        running = rows.size();
        if (rows.isEmpty()) {
            cache.close();
            cache = null;
            return;
        }
        try (PointerScope scope = new PointerScope()) {
            long[] indices = kept.stream().mapToLong(Long::longValue).toArray();
            KvCache selected = cache.select(Tensors.upload(Tensors.longs(indices), model.parameters().device(), ScalarType.Long));
            cache.close();
            cache = selected;
            long unused = rows.stream().mapToLong(r -> r.padding).min().orElse(0);
            if (unused > 0) {
                KvCache trimmed = cache.dropFront(unused);
                cache.close();
                cache = trimmed;
                for (RunningRequest r : rows) r.padding -= unused;
            }
        }
    }

    private static void notifyError(Job job, RuntimeException error) {
        if (job.cancelled) return;
        try {
            job.listener.onError(error);
        } catch (RuntimeException ignored) {
            // a listener's failure must not stop the engine or the other requests
        }
    }

    /** One running request: its sampler, its text so far, and its padding in the shared cache. */
    private final class RunningRequest {
        final Job job;
        final int promptTokens;
        final TokenSampler sampler;
        final StreamedText text;
        final long[] ids;
        int produced;
        long first; // the token the prompt's decode chose
        long last;
        long padding;
        boolean finished;

        RunningRequest(Job job, int promptTokens) {
            this.job = job;
            this.promptTokens = promptTokens;
            this.sampler = new TokenSampler(job.request.config(), processor.imageTokenId());
            this.text = new StreamedText(processor, job.request.stop());
            this.ids = new long[job.request.config().maxNewTokens()];
        }

        int sample(float[] logits) {
            Generator.requireFinite(logits, job.request.condition(), produced);
            return sampler.next(logits);
        }

        /** Takes the next token; returns whether the request has finished (and tells its listener). */
        boolean accept(long token) {
            if (token == processor.endOfSequenceId()) return finish(Completion.FinishReason.STOP);
            ids[produced++] = token;
            last = token;
            emit(text.add(token));
            if (text.stopped()) return finish(Completion.FinishReason.STOP);
            if (produced == ids.length) return finish(Completion.FinishReason.LENGTH);
            return false;
        }

        private boolean finish(Completion.FinishReason reason) {
            emit(text.finish());
            finished = true;
            if (job.cancelled) return true;
            try {
                job.listener.onFinish(new Completion(Arrays.copyOf(ids, produced), text.text(), promptTokens, reason));
            } catch (RuntimeException ignored) {
                // see notifyError
            }
            return true;
        }

        private void emit(String delta) {
            if (delta.isEmpty() || job.cancelled) return;
            try {
                job.listener.onText(delta);
            } catch (RuntimeException ignored) {
                // see notifyError
            }
        }
    }
}
