package org.vco4j.tensor.safetensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A safetensors file, or a sharded checkpoint's index, that breaks the format.
 *
 * <p>It is an {@link IOException} because it arises while reading a file, next to the ordinary I/O
 * failures callers already have to handle; catching it separately tells "this file is bad" apart from
 * "the disk failed". The message always starts with the file and, when one tensor is at fault, names
 * it.
 */
public class SafetensorsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String tensor;

    /** A problem with the file as a whole. */
    public SafetensorsFormatException(Path file, String problem) {
        this(file, null, problem, null);
    }

    /** A problem with one tensor's entry; {@code tensor} may be null when none is at fault. */
    public SafetensorsFormatException(Path file, String tensor, String problem) {
        this(file, tensor, problem, null);
    }

    /** As {@link #SafetensorsFormatException(Path, String, String)}, keeping the underlying cause. */
    public SafetensorsFormatException(Path file, String tensor, String problem, Throwable cause) {
        super(file + ": " + (tensor == null ? "" : "tensor " + quote(tensor) + ": ") + problem, cause);
        this.file = file;
        this.tensor = tensor;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }

    /** The offending tensor, when the problem belongs to one. */
    public Optional<String> tensor() {
        return Optional.ofNullable(tensor);
    }

    /** A name in quotes, with control characters made visible so a hostile name cannot forge a message. */
    static String quote(String name) {
        StringBuilder s = new StringBuilder(name.length() + 2).append('\'');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) s.append(String.format("\\u%04x", (int) c));
            else s.append(c);
        }
        return s.append('\'').toString();
    }
}
