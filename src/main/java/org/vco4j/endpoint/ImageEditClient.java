package org.vco4j.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import org.vco4j.common.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * An image-editing model behind OpenAI's images edit API: {@code POST {base}/images/edits} as
 * {@code multipart/form-data} with the fields {@code model}, {@code prompt}, {@code n=1}, {@code size} and
 * {@code response_format=b64_json} and the file {@code image} (a PNG); the edited image is read from
 * {@code data[0].b64_json} and the tokens from {@code usage} when the endpoint reports them. Retries, backoff and the
 * rate limit are {@link EndpointTransport}'s. Nothing is cached: an interrupted job keeps its edited images itself.
 */
public final class ImageEditClient {
    /** The edited image's bytes as the endpoint sent them, and the tokens the request used. */
    public record Edit(byte[] image, Usage usage) {}

    private final EndpointSettings settings;
    private final EndpointTransport transport;
    private final URI endpoint;

    ImageEditClient(EndpointSettings settings, Optional<String> apiKey) {
        this.settings = settings;
        this.transport = new EndpointTransport(settings, apiKey);
        this.endpoint = settings.resolve("/images/edits");
    }

    /** A client whose key comes from the environment variable the settings name (none when it is unset or empty). */
    public static ImageEditClient open(EndpointSettings settings) {
        return new ImageEditClient(settings, EndpointTransport.keyFromEnvironment(settings));
    }

    public EndpointSettings settings() {
        return settings;
    }

    /**
     * The edit of {@code png} by {@code prompt}.
     *
     * @param size the square side the editor works at, sent as {@code size=SxS}
     * @throws IllegalArgumentException when the endpoint refuses the request or its reply holds no image
     */
    public Edit edit(byte[] png, String prompt, int size) throws IOException {
        String boundary = "vco4j-" + UUID.randomUUID();
        byte[] body = multipart(boundary, png, prompt, size);
        String reply = transport.send(endpoint, () -> HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(reply);
        } catch (IOException e) {
            throw new IllegalArgumentException(settings.role() + " " + endpoint + ": a reply that is not JSON: " + EndpointTransport.abbreviate(reply));
        }
        JsonNode b64 = answer.path("data").path(0).path("b64_json");
        if (!b64.isTextual()) {
            throw new IllegalArgumentException(settings.role() + " " + endpoint + ": a reply without data[0].b64_json: "
                    + EndpointTransport.abbreviate(reply));
        }
        try {
            return new Edit(Base64.getDecoder().decode(b64.asText()), Usage.of(answer.get("usage")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(settings.role() + " " + endpoint + ": data[0].b64_json is not base64: " + e.getMessage());
        }
    }

    private byte[] multipart(String boundary, byte[] png, String prompt, int size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + 1024);
        field(out, boundary, "model", settings.model());
        field(out, boundary, "prompt", prompt);
        field(out, boundary, "n", "1");
        field(out, boundary, "size", size + "x" + size);
        field(out, boundary, "response_format", "b64_json");
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"image.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(png);
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String boundary, String name, String value) throws IOException {
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
    }
}
