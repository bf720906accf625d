package org.vco4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.Json;
import org.vco4j.common.ProgressBar;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.ParameterFactory;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * {@code vco bench serve}: N clients on loopback, each sending streamed chat completions (a picture and a question,
 * sampled with its own seed) one after the other for a fixed time, against the server with batching on and then off.
 * Reports requests/s, generated tokens/s, latency and time to the first token (p50, p99), errors and the machine's
 * load average, and the ratio of the two throughputs.
 */
public final class ServeBenchmark {
    private ServeBenchmark() {}

    /**
     * @param clients   concurrent clients
     * @param duration  how long the clients start new requests (requests in flight then finish and count)
     * @param maxTokens {@code max_tokens} of every request
     * @param maxBatch  the batch size of the batching run (the other runs with 1)
     */
    public record Settings(int clients, Duration duration, int maxTokens, int maxBatch) {
        public Settings {
            if (clients < 1) throw new IllegalArgumentException("--clients must be ≥ 1, got " + clients);
            if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("--seconds must be > 0");
            if (maxTokens < 1) throw new IllegalArgumentException("--max-tokens must be ≥ 1, got " + maxTokens);
            if (maxBatch < 2) throw new IllegalArgumentException("--max-batch must be ≥ 2 to compare with batching off");
        }
    }

    /**
     * One run: completed requests, errors, tokens generated, wall time, per request its latency and time to first token
     * (s), and the machine's load average at its end (other work on the same cores skews every figure).
     */
    public record Result(int maxBatch, int errors, long tokens, double seconds, double[] latencies, double[] firstTokens,
                         double loadAverage) {
        public int requests() {
            return latencies.length;
        }

        public double requestsPerSecond() {
            return requests() / seconds;
        }

        public double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    /** Loads the model once and measures the server with batches of {@code settings.maxBatch()}, then of 1. */
    public static List<Result> run(Path model, Path adapter, ParameterFactory parameters, Settings settings) {
        try (PretrainedVlm vlm = Serve.load(model, adapter, parameters)) {
            List<Result> results = new ArrayList<>();
            for (int maxBatch : new int[] {settings.maxBatch(), 1}) {
                ServeSettings serve = ServeSettings.of("127.0.0.1", 0, null, null, maxBatch, settings.clients());
                try (ChatServer server = new ChatServer(vlm.model(), vlm.processor(), "bench", serve).start()) {
                    Clients clients = new Clients(server.port(), settings);
                    clients.request(-1); // warm-up
                    results.add(clients.measure(maxBatch));
                }
            }
            return results;
        }
    }

    /** The results as a table, and the batching-on / batching-off ratios. */
    public static String table(List<Result> results) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-10s %9s %7s %9s %10s %12s %12s %11s %11s %6s%n",
                "max batch", "requests", "errors", "req/s", "tokens/s", "p50 lat (s)", "p99 lat (s)", "p50 ttft", "p99 ttft", "load"));
        for (Result r : results) {
            out.append(String.format(Locale.ROOT, "%-10d %9d %7d %9.2f %10.1f %12.3f %12.3f %11.3f %11.3f %6.1f%n", r.maxBatch(),
                    r.requests(), r.errors(), r.requestsPerSecond(), r.tokensPerSecond(), percentile(r.latencies(), 50),
                    percentile(r.latencies(), 99), percentile(r.firstTokens(), 50), percentile(r.firstTokens(), 99), r.loadAverage()));
        }
        Result on = results.get(0);
        Result off = results.get(results.size() - 1);
        out.append(String.format(Locale.ROOT, "batching on / off: %.2fx requests/s, %.2fx tokens/s%n",
                on.requestsPerSecond() / off.requestsPerSecond(), on.tokensPerSecond() / off.tokensPerSecond()));
        return out.toString();
    }

    /** Nearest-rank percentile; NaN for no values. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) return Double.NaN;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** The clients of one run. */
    private static final class Clients {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final URI uri;
        private final Settings settings;
        private final String image = picture();

        /** What one request gave: seconds to the end and to the first text, tokens; null for an error. */
        private record Timing(double latency, double firstToken, long tokens) {}

        Clients(int port, Settings settings) {
            this.uri = URI.create("http://127.0.0.1:" + port + "/v1/chat/completions");
            this.settings = settings;
        }

        Result measure(int maxBatch) {
            List<Timing> timings = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger errors = new AtomicInteger();
            AtomicInteger sent = new AtomicInteger();
            long start = System.nanoTime();
            long deadline = start + settings.duration().toNanos();
            ProgressBar progress = new ProgressBar("bench serve, max batch " + maxBatch, settings.duration().toSeconds(), "requests");
            ExecutorService pool = Executors.newFixedThreadPool(settings.clients());
            for (int c = 0; c < settings.clients(); c++) {
                pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        Timing timing = request(sent.getAndIncrement());
                        if (timing == null) errors.incrementAndGet();
                        else timings.add(timing);
                        progress.update(Math.min(settings.duration().toSeconds(), (System.nanoTime() - start) / 1_000_000_000L),
                                timings.size(), Double.NaN);
                    }
                });
            }
            pool.shutdown();
            try {
                if (!pool.awaitTermination(settings.duration().toSeconds() + 600, TimeUnit.SECONDS)) pool.shutdownNow();
            } catch (InterruptedException e) {
                pool.shutdownNow();
                Thread.currentThread().interrupt();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            progress.finish(settings.duration().toSeconds(), timings.size(), Double.NaN);
            List<Timing> done = List.copyOf(timings);
            return new Result(maxBatch, errors.get(), done.stream().mapToLong(Timing::tokens).sum(), seconds,
                    done.stream().mapToDouble(Timing::latency).toArray(), done.stream().mapToDouble(Timing::firstToken).toArray(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }

        /** One streamed completion, timed; null when it failed. */
        Timing request(int number) {
            long start = System.nanoTime();
            try {
                HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body(number).toString())).build(), HttpResponse.BodyHandlers.ofLines());
                if (response.statusCode() != 200) {
                    response.body().close();
                    return null;
                }
                double firstToken = Double.NaN;
                long tokens = -1;
                boolean done = false;
                try (Stream<String> lines = response.body()) {
                    for (String line : (Iterable<String>) lines::iterator) {
                        if (!line.startsWith("data: ")) continue;
                        String data = line.substring("data: ".length());
                        if (data.equals("[DONE]")) {
                            done = true;
                            continue;
                        }
                        JsonNode chunk = Json.MAPPER.readTree(data);
                        if (chunk.has("error")) return null;
                        JsonNode choice = chunk.path("choices").path(0);
                        if (Double.isNaN(firstToken) && !choice.path("delta").path("content").asText("").isEmpty()) {
                            firstToken = (System.nanoTime() - start) / 1e9;
                        }
                        if (chunk.path("usage").has("completion_tokens")) tokens = chunk.path("usage").path("completion_tokens").asLong();
                    }
                }
                double latency = (System.nanoTime() - start) / 1e9;
                if (!done || tokens < 0) return null;
                return new Timing(latency, Double.isNaN(firstToken) ? latency : firstToken, tokens);
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        private ObjectNode body(int number) {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("model", "bench");
            body.put("max_tokens", settings.maxTokens());
            body.put("temperature", 1.0);
            body.put("seed", number);
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
            ObjectNode message = body.putArray("messages").addObject();
            message.put("role", "user");
            var content = message.putArray("content");
            content.addObject().put("type", "image_url").putObject("image_url").put("url", image);
            content.addObject().put("type", "text").put("text", "Describe the picture.");
            return body;
        }

        /** A 64×64 PNG of a red disc on white, as a data URL. */
        private static String picture() {
            BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, 64, 64);
            g.setColor(Color.RED);
            g.fillOval(16, 16, 32, 32);
            g.dispose();
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            try {
                ImageIO.write(image, "png", png);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
        }
    }
}
