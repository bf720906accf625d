package org.vco4j.train;

/** A run that cannot go on (non-finite loss or gradient); the message names the step and the samples. */
public final class TrainingFailedException extends RuntimeException {
    public TrainingFailedException(String message) {
        super(message);
    }
}
