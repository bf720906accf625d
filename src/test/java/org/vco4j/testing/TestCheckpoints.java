package org.vco4j.testing;

import com.fasterxml.jackson.databind.JsonNode;
import org.vco4j.common.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/** Reads a written checkpoint the way an outside tool would, without the project's own safetensors reader. */
public final class TestCheckpoints {
    private TestCheckpoints() {}

    /** The tensor names in a safetensors file's header (its {@code __metadata__} left out). */
    public static Set<String> keys(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long length = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonNode header = Json.MAPPER.readTree(new String(bytes, 8, (int) length, StandardCharsets.UTF_8));
        Set<String> keys = new TreeSet<>();
        for (Iterator<String> it = header.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals("__metadata__")) keys.add(key);
        }
        return keys;
    }
}
