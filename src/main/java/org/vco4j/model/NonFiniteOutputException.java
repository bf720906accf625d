package org.vco4j.model;

/**
 * The model produced NaN or infinite numbers (usually weights that hold them); the message names the request.
 * An {@link ArithmeticException}, so the command line reports it in one line with exit status 2.
 */
public final class NonFiniteOutputException extends ArithmeticException {
    public NonFiniteOutputException(String message) {
        super(message);
    }
}
