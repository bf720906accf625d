package org.vco4j.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How {@code vco serve} listens and what it accepts.
 *
 * @param host            address to bind (loopback by default)
 * @param port            TCP port; 0 picks a free one
 * @param imageRoot       the only folder whose image files requests may name (null: data URLs only)
 * @param apiKey          the bearer token every /v1 request must send (null: none)
 * @param maxBatch        most requests decoded together (1 turns batching off)
 * @param queue           most requests waiting for a place in the batch; more are answered 429
 * @param maxRequestBytes largest request body
 * @param maxImageBytes   largest image file (decoded)
 * @param maxImagePixels  most pixels (width × height) of one image
 */
public record ServeSettings(String host, int port, Path imageRoot, String apiKey, int maxBatch, int queue,
                            long maxRequestBytes, long maxImageBytes, long maxImagePixels) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_MAX_BATCH = 8;
    public static final int DEFAULT_QUEUE = 64;
    public static final long DEFAULT_MAX_REQUEST_BYTES = 32L << 20;
    public static final long DEFAULT_MAX_IMAGE_BYTES = 16L << 20;
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 4096L * 4096;

    public ServeSettings {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be in 0..65535, got " + port);
        if (maxBatch < 1) throw new IllegalArgumentException("--max-batch must be ≥ 1, got " + maxBatch);
        if (queue < 1) throw new IllegalArgumentException("--queue must be ≥ 1, got " + queue);
        if (maxRequestBytes < 1) throw new IllegalArgumentException("--max-request-bytes must be ≥ 1, got " + maxRequestBytes);
        if (maxImageBytes < 1) throw new IllegalArgumentException("--max-image-bytes must be ≥ 1, got " + maxImageBytes);
        if (maxImagePixels < 1) throw new IllegalArgumentException("--max-image-pixels must be ≥ 1, got " + maxImagePixels);
        if (apiKey != null && apiKey.isBlank()) apiKey = null;
        if (imageRoot != null) imageRoot = realFolder(imageRoot);
    }

    /** Defaults for everything but where to listen and what to serve. */
    public static ServeSettings of(String host, int port, Path imageRoot, String apiKey, int maxBatch, int queue) {
        return new ServeSettings(host, port, imageRoot, apiKey, maxBatch, queue, DEFAULT_MAX_REQUEST_BYTES,
                DEFAULT_MAX_IMAGE_BYTES, DEFAULT_MAX_IMAGE_PIXELS);
    }

    /** The same settings with other limits (tests, small deployments). */
    public ServeSettings withLimits(long requestBytes, long imageBytes, long imagePixels) {
        return new ServeSettings(host, port, imageRoot, apiKey, maxBatch, queue, requestBytes, imageBytes, imagePixels);
    }

    /** The image root where it really is (symbolic links resolved), so paths can be compared to it. */
    private static Path realFolder(Path folder) {
        try {
            Path real = folder.toRealPath();
            if (!Files.isDirectory(real)) throw new IllegalArgumentException("--image-root " + folder + ": not a directory");
            return real;
        } catch (IOException e) {
            throw new IllegalArgumentException("--image-root " + folder + ": no such directory");
        }
    }
}
