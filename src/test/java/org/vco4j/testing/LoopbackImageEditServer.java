package org.vco4j.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP server on loopback playing OpenAI's images edit API at {@code /v1/images/edits}: it parses the
 * {@code multipart/form-data} request into its fields (name → bytes), hands them to a function that returns the
 * edited image's bytes, and answers {@code {"data": [{"b64_json": ...}], "usage": {...}}}. It records every request's
 * fields.
 */
public final class LoopbackImageEditServer implements AutoCloseable {
    public static final int INPUT_TOKENS = 50;
    public static final int OUTPUT_TOKENS = 200;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final ConcurrentLinkedQueue<Map<String, byte[]>> requests = new ConcurrentLinkedQueue<>();

    public LoopbackImageEditServer(Function<Map<String, byte[]>, byte[]> edit) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/v1/images/edits", exchange -> {
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            Map<String, byte[]> fields = parse(exchange.getRequestBody().readAllBytes(), type.substring(type.indexOf("boundary=") + 9));
            requests.add(fields);
            byte[] image = edit.apply(fields);
            String json = "{\"created\": 1, \"data\": [{\"b64_json\": \"" + Base64.getEncoder().encodeToString(image) + "\"}], "
                    + "\"usage\": {\"input_tokens\": " + INPUT_TOKENS + ", \"output_tokens\": " + OUTPUT_TOKENS + ", \"total_tokens\": "
                    + (INPUT_TOKENS + OUTPUT_TOKENS) + "}}";
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    public List<Map<String, byte[]>> requests() {
        return List.copyOf(requests);
    }

    /** The fields of a multipart body: each part's {@code name} → its bytes. */
    static Map<String, byte[]> parse(byte[] body, String boundary) {
        Map<String, byte[]> fields = new LinkedHashMap<>();
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int start = at + delimiter.length;
            if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') break;
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
            String headers = new String(body, start, headersEnd - start, StandardCharsets.ISO_8859_1);
            int next = indexOf(body, delimiter, headersEnd + 4);
            int nameAt = headers.indexOf("name=\"") + 6;
            String name = headers.substring(nameAt, headers.indexOf('"', nameAt));
            byte[] value = java.util.Arrays.copyOfRange(body, headersEnd + 4, next - 2); // minus the CRLF before the delimiter
            fields.put(name, value);
            at = next;
        }
        return fields;
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
