package org.vco4j.model;

/** A checkpoint folder that cannot be turned into a model; the message names the file, field or tensor. */
public final class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
