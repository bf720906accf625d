package org.vco4j.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.util.JavalinBindException;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.vco4j.common.Folders;
import org.vco4j.common.Json;
import org.vco4j.model.VisionLanguageModel;
import org.vco4j.model.generation.Completion;
import org.vco4j.model.generation.GenerationConfig;
import org.vco4j.model.generation.GenerationEngine;
import org.vco4j.model.generation.GenerationListener;
import org.vco4j.model.generation.GenerationRequest;
import org.vco4j.model.processing.Context;
import org.vco4j.model.processing.ChatTemplate;
import org.vco4j.model.processing.VlmProcessor;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible HTTP server (Javalin on Jetty) in front of a {@link GenerationEngine}:
 * {@code POST /v1/chat/completions} (plain or streamed as server-sent events), {@code GET /v1/models} and
 * {@code GET /health}. The model's own chat template renders the conversation, image parts becoming
 * {@value Context#IMAGE_PLACEHOLDER} placeholders where they stand, so the rendered text and the images form one
 * {@link Context} under the prompt rule. Every refusal is a 4xx in OpenAI's error shape ({@link ApiError}).
 *
 * <p>{@link #close} shuts down cleanly: new requests are refused (the listening socket closes, requests that still
 * arrive get 503), accepted ones finish and are answered, then the engine and the server stop.
 */
public final class ChatServer implements AutoCloseable {
    private static final String BEARER = "Bearer ";
    private static final long SHUTDOWN_WAIT_MILLIS = 120_000;
    private static final int MIN_THREADS = 128;

    private final ServeSettings settings;
    private final String modelName;
    private final long created = System.currentTimeMillis() / 1000;
    private final ChatTemplate template;
    private final VlmProcessor processor; // takes the rendered conversation as its prompt
    private final int maxPositions;
    private final GenerationEngine engine;
    private final Javalin app;
    private final Path temporary;
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;
    private boolean closed;

    /** Sets up the server for {@code model} (named {@code modelName} in the API); {@link #start} listens. */
    public ChatServer(VisionLanguageModel model, VlmProcessor processor, String modelName, ServeSettings settings) {
        if (!processor.template().rendersConversations()) {
            throw new IllegalArgumentException("the model's chat template cannot render conversations");
        }
        this.settings = settings;
        this.modelName = modelName;
        this.template = processor.template();
        this.processor = new VlmProcessor(processor.tokenizer(), processor.images(), template::conversationText,
                processor.imageTokenId(), processor.endOfSequenceId(), processor.maxPositions());
        this.maxPositions = Math.min(model.maxPositions(), processor.maxPositions());
        try {
            this.temporary = Files.createTempDirectory("vco-serve-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for uploaded images: " + e.getMessage(), e);
        }
        this.engine = new GenerationEngine(model, this.processor, settings.maxBatch(), settings.queue());
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            // A request waits on its thread while it runs or queues: enough threads that the queue, not the pool, is
            // what fills up (and answers 429).
            config.jetty.threadPool = new QueuedThreadPool(Math.max(MIN_THREADS, settings.maxBatch() + settings.queue() + MIN_THREADS / 4),
                    MIN_THREADS / 16);
            config.http.maxRequestSize = settings.maxRequestBytes();
            config.http.disableCompression();
        });
        routes();
    }

    /** The endpoints, the API-key check in front of /v1, and every failure as an OpenAI error. */
    private void routes() {
        app.before("/v1/*", ctx -> {
            if (settings.apiKey() != null && !authorized(ctx.header("Authorization"))) throw ApiError.unauthorized();
        });
        app.get("/health", ctx -> json(ctx, draining ? 503 : 200, health()));
        app.get("/v1/models", ctx -> json(ctx, 200, models()));
        app.get("/v1/models/{id}", ctx -> {
            if (!ctx.pathParam("id").equals(modelName)) throw ApiError.modelNotFound(ctx.pathParam("id"), modelName);
            json(ctx, 200, modelObject());
        });
        app.post("/v1/chat/completions", this::chatCompletion);
        app.exception(ApiError.class, (e, ctx) -> json(ctx, e.status(), e.body()));
        app.exception(HttpResponseException.class, (e, ctx) -> json(ctx, e.getStatus(), new ApiError(e.getStatus(),
                e.getStatus() == 404 ? "not_found_error" : "invalid_request_error", e.getMessage(), null, null).body()));
        app.exception(Exception.class, (e, ctx) -> json(ctx, 500,
                new ApiError(500, "server_error", "internal error: " + e, null, null).body()));
    }

    private static void json(io.javalin.http.Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    /** Starts listening; returns this server. A port that is taken is the user's to change (IllegalArgumentException). */
    public ChatServer start() {
        try {
            app.start(settings.host(), settings.port());
        } catch (JavalinBindException e) {
            close();
            throw new IllegalArgumentException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** The port the server listens on (the one picked when the settings asked for 0). */
    public int port() {
        return app.port();
    }

    public String modelName() {
        return modelName;
    }

    /** Stops taking requests, lets accepted ones finish and be answered, then stops the engine and the server. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        draining = true;
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof NetworkConnector network) network.close();
        }
        long deadline = System.currentTimeMillis() + SHUTDOWN_WAIT_MILLIS;
        while (inFlight.get() > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        engine.close();
        app.stop();
        try {
            Folders.deleteRecursively(temporary);
        } catch (IOException e) {
            System.err.println("warning: could not delete " + temporary + ": " + e.getMessage());
        }
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith(BEARER)) return false;
        byte[] sent = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(sent, settings.apiKey().getBytes(StandardCharsets.UTF_8));
    }

    private void chatCompletion(io.javalin.http.Context ctx) throws IOException {
        inFlight.incrementAndGet();
        try {
            if (draining) throw ApiError.shuttingDown();
            JsonNode body;
            try {
                body = Json.STRICT.readTree(ctx.bodyAsBytes());
            } catch (JsonProcessingException e) {
                throw ApiError.invalid(null, "the request body is not valid JSON: " + e.getOriginalMessage());
            }
            try (ChatImages images = new ChatImages(settings, temporary)) {
                ChatCompletionRequest request = ChatCompletionRequest.parse(body, images);
                if (!request.model().equals(modelName)) throw ApiError.modelNotFound(request.model(), modelName);
                GenerationRequest generation = generationRequest(request, images);
                ChatCompletionResponse response = new ChatCompletionResponse(
                        "chatcmpl-" + Long.toUnsignedString(random.nextLong(), 36), System.currentTimeMillis() / 1000, modelName);
                if (request.stream()) stream(ctx, generation, request.includeUsage(), response);
                else complete(ctx, generation, response);
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** The conversation rendered by the model's template, its images, and the sampling settings checked against the model. */
    private GenerationRequest generationRequest(ChatCompletionRequest request, ChatImages images) {
        String prompt;
        try {
            prompt = template.renderConversation(request.messages(), true);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid("messages", e.getMessage());
        }
        Context condition = new Context(images.files(), prompt);
        if (condition.placeholders() != images.files().size()) {
            throw ApiError.invalid("messages", "the model's chat template placed " + condition.placeholders() + " of "
                    + images.files().size() + " image(s)");
        }
        int promptTokens;
        try {
            promptTokens = processor.promptIds(condition).length;
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid("messages", e.getMessage());
        }
        int room = maxPositions - promptTokens;
        int maxTokens = request.maxTokens() == null ? room : request.maxTokens();
        if (room < 1 || maxTokens > room) {
            throw ApiError.contextLength("This model's maximum context length is " + maxPositions + " tokens; the messages take "
                    + promptTokens + " (images included) and " + maxTokens + " were asked for the completion.");
        }
        long seed = request.seed() != null ? request.seed() : random.nextLong();
        GenerationConfig config = new GenerationConfig(maxTokens, request.temperature(), request.topP(), seed);
        return new GenerationRequest(condition, config, request.stop());
    }

    private void complete(io.javalin.http.Context ctx, GenerationRequest generation, ChatCompletionResponse response) {
        CompletableFuture<Completion> result = new CompletableFuture<>();
        GenerationEngine.Job job = submit(generation, new GenerationListener() {
            @Override public void onText(String delta) {}
            @Override public void onFinish(Completion completion) { result.complete(completion); }
            @Override public void onError(RuntimeException error) { result.completeExceptionally(error); }
        });
        try {
            Completion completion = result.get();
            json(ctx, 200, response.completion(completion));
        } catch (InterruptedException e) {
            job.cancel();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating", e);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    /**
     * Server-sent events: a first chunk with the role, one chunk per piece of text, a last chunk with the finish
     * reason (and one with the usage when asked), then {@code [DONE]}. Nothing is sent before the engine's first
     * event, so a request that fails at once gets a plain error response.
     */
    private void stream(io.javalin.http.Context ctx, GenerationRequest generation, boolean includeUsage,
                        ChatCompletionResponse response) throws IOException {
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        GenerationEngine.Job job = submit(generation, new GenerationListener() {
            @Override public void onText(String delta) { events.add(delta); }
            @Override public void onFinish(Completion completion) { events.add(completion); }
            @Override public void onError(RuntimeException error) { events.add(error); }
        });
        try {
            Object event = events.take();
            if (event instanceof RuntimeException error) throw failure(error);
            ctx.status(200).contentType("text/event-stream; charset=utf-8").header("Cache-Control", "no-cache");
            OutputStream out = ctx.res().getOutputStream();
            send(out, response.chunk(response.roleDelta(), null));
            while (true) {
                if (event instanceof String delta) {
                    send(out, response.chunk(response.contentDelta(delta), null));
                } else if (event instanceof Completion completion) {
                    send(out, response.chunk(Json.MAPPER.createObjectNode(), completion.finishReason().apiName()));
                    if (includeUsage) send(out, response.usageChunk(completion));
                    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return;
                } else {
                    send(out, failure((RuntimeException) event).body());
                    return;
                }
                event = events.take();
            }
        } catch (IOException e) {
            job.cancel(); // the client went away
        } catch (InterruptedException e) {
            job.cancel();
            Thread.currentThread().interrupt();
        }
    }

    private static void send(OutputStream out, ObjectNode data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private GenerationEngine.Job submit(GenerationRequest request, GenerationListener listener) {
        try {
            return engine.submit(request, listener);
        } catch (RejectedExecutionException e) {
            if (engine.isClosing()) throw ApiError.shuttingDown();
            throw ApiError.queueFull("The server is busy (" + e.getMessage() + "); retry later.");
        }
    }

    /**
     * Bad input found by the engine (an image whose pixels do not decode, say) is the client's; anything else is ours.
     * Where uploaded images are kept is not the client's business.
     */
    private ApiError failure(Throwable error) {
        if (error instanceof IllegalArgumentException) {
            return ApiError.invalid("messages", error.getMessage().replace(temporary.toString(), "<uploads>"));
        }
        return new ApiError(500, "server_error", "generation failed: " + error, null, null);
    }

    private ObjectNode health() {
        ObjectNode health = Json.MAPPER.createObjectNode();
        health.put("status", draining ? "shutting_down" : "ok");
        health.put("model", modelName);
        health.put("running", engine.running());
        health.put("waiting", engine.waiting());
        health.put("max_batch", engine.maxBatch());
        return health;
    }

    private ObjectNode models() {
        ObjectNode list = Json.MAPPER.createObjectNode();
        list.put("object", "list");
        list.putArray("data").add(modelObject());
        return list;
    }

    private ObjectNode modelObject() {
        ObjectNode model = Json.MAPPER.createObjectNode();
        model.put("id", modelName);
        model.put("object", "model");
        model.put("created", created);
        model.put("owned_by", "vco4j");
        return model;
    }
}
