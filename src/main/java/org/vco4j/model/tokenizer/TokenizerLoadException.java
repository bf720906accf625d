package org.vco4j.model.tokenizer;

import java.io.IOException;
import java.nio.file.Path;

/** Tokenizer files that are missing or cannot be parsed; the message names the file. */
public class TokenizerLoadException extends IOException {
    private final Path file;

    public TokenizerLoadException(Path file, String reason, Throwable cause) {
        super("cannot load tokenizer file " + file + ": " + reason, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
