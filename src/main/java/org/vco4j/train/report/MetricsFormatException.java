package org.vco4j.train.report;

import java.io.IOException;

/** A line of a metrics file that is not a metrics record; the message names the file and line. */
public final class MetricsFormatException extends IOException {
    public MetricsFormatException(String message) {
        super(message);
    }

    public MetricsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
