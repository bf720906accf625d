package org.vco4j.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Identifies a checkpoint folder cheaply: its config, tokenizer, and the size, modification time and
 * safetensors header (first 64 KiB) of every weight file. Hashing multi-gigabyte weights in full would cost
 * minutes; any re-export changes the headers or the times.
 */
public final class ModelFingerprint {
    private ModelFingerprint() {}

    public static String of(Path folder, String variant) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(variant.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            List<Path> files;
            try (Stream<Path> list = Files.list(folder)) {
                files = list.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path file : files) {
                String name = file.getFileName().toString();
                boolean weights = name.endsWith(".safetensors");
                if (!weights && !name.equals("config.json") && !name.startsWith("tokenizer") && !name.endsWith(".index.json")) continue;
                digest.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (weights) {
                    digest.update((Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis())
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    try (InputStream in = Files.newInputStream(file)) {
                        digest.update(in.readNBytes(64 * 1024));
                    }
                } else {
                    digest.update(Files.readAllBytes(file));
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
