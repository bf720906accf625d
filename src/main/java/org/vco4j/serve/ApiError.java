package org.vco4j.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.Json;

/**
 * A request the server refuses, answered in OpenAI's error shape:
 * {@code {"error": {"message", "type", "param", "code"}}} with the HTTP status that goes with the type.
 */
final class ApiError extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;

    ApiError(int status, String type, String message, String param, String code) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400: the request names {@code param} (may be null) and is wrong about it. */
    static ApiError invalid(String param, String message) {
        return new ApiError(400, "invalid_request_error", message, param, null);
    }

    /** 400 with OpenAI's code for a prompt and answer longer than the model takes. */
    static ApiError contextLength(String message) {
        return new ApiError(400, "invalid_request_error", message, "messages", "context_length_exceeded");
    }

    static ApiError unauthorized() {
        return new ApiError(401, "invalid_request_error",
                "Incorrect or missing API key: send it as 'Authorization: Bearer <key>'.", null, "invalid_api_key");
    }

    /** 403: an image path outside the allowed image root (or no root allowed at all). */
    static ApiError forbiddenImage(String param, String message) {
        return new ApiError(403, "permission_error", message, param, "image_outside_root");
    }

    static ApiError modelNotFound(String model, String served) {
        return new ApiError(404, "invalid_request_error", "The model '" + model + "' does not exist; this server serves '"
                + served + "'.", "model", "model_not_found");
    }

    static ApiError queueFull(String message) {
        return new ApiError(429, "rate_limit_error", message, null, "queue_full");
    }

    static ApiError shuttingDown() {
        return new ApiError(503, "server_error", "The server is shutting down.", null, "shutting_down");
    }

    int status() {
        return status;
    }

    /** The response body. */
    ObjectNode body() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", getMessage());
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return root;
    }
}
