package org.vco4j.tensor.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * A sharded checkpoint's {@code *.safetensors.index.json}: which shard file holds each tensor.
 *
 * <p>Only {@code weight_map} is interpreted. The {@code metadata} object (with {@code total_size})
 * is advisory and not checked, and other top-level keys are tolerated, as in the Hugging Face loaders.
 */
final class ShardIndex {
    /** Formats like Python's {@code json.dumps(index, indent=2, sort_keys=True)}, as transformers writes it. */
    private static final ObjectMapper PYTHON_STYLE = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .defaultPrettyPrinter(new DefaultPrettyPrinter()
                    .withSeparators(Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                    .withObjectIndenter(new DefaultIndenter("  ", "\n")))
            .build();

    private final Map<String, Path> shardOf;

    private ShardIndex(Map<String, Path> shardOf) {
        this.shardOf = shardOf;
    }

    /** Tensor name to normalized shard path, in index order. */
    Map<String, Path> shardOf() {
        return shardOf;
    }

    /**
     * Reads {@code indexFile} and checks that every shard it names is a relative path that stays
     * inside {@code folder} and exists as a file there. Containment is judged on the path as written,
     * not after following links, so shards that are symbolic links (as in the Hugging Face cache) work.
     */
    static ShardIndex read(Path indexFile, Path folder) throws IOException {
        long size = Files.size(indexFile);
        if (size > StrictJson.MAX_DOCUMENT_BYTES) {
            throw new SafetensorsFormatException(indexFile, "index is " + size + " bytes, above the limit of "
                    + StrictJson.MAX_DOCUMENT_BYTES);
        }
        JsonNode root;
        try {
            root = StrictJson.DOCUMENT.readValue(Files.readAllBytes(indexFile));
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(indexFile, null, "index is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsFormatException(indexFile, "index is not a JSON object");
        }
        JsonNode weightMap = root.get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            throw new SafetensorsFormatException(indexFile, "index has no 'weight_map' object");
        }
        Path base = folder.toAbsolutePath().normalize();
        Map<String, Path> shardOf = new LinkedHashMap<>();
        Map<Path, Boolean> exists = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String tensor = e.getKey();
            JsonNode value = e.getValue();
            if (!value.isTextual() || value.textValue().isEmpty()) {
                throw new SafetensorsFormatException(indexFile, tensor, "weight_map value must be a shard file name, not "
                        + value);
            }
            Path shard = resolveShard(indexFile, folder, base, tensor, value.textValue());
            if (!exists.computeIfAbsent(shard, Files::isRegularFile)) {
                throw new SafetensorsFormatException(indexFile, tensor, "shard "
                        + SafetensorsFormatException.quote(value.textValue()) + " does not exist in " + base);
            }
            shardOf.put(tensor, shard);
        }
        return new ShardIndex(shardOf);
    }

    /** The shard path as seen from {@code folder}, after checking it stays inside {@code base}, its absolute form. */
    private static Path resolveShard(Path indexFile, Path folder, Path base, String tensor, String shardName)
            throws SafetensorsFormatException {
        String quoted = SafetensorsFormatException.quote(shardName);
        Path relative;
        try {
            relative = Path.of(shardName);
        } catch (InvalidPathException e) {
            throw new SafetensorsFormatException(indexFile, tensor, "shard " + quoted + " is not a valid path", e);
        }
        if (relative.isAbsolute() || relative.getRoot() != null) {
            throw new SafetensorsFormatException(indexFile, tensor, "shard " + quoted
                    + " is an absolute path; shards must be inside the checkpoint folder");
        }
        for (Path part : relative) {
            if (part.toString().equals("..")) {
                throw new SafetensorsFormatException(indexFile, tensor, "shard " + quoted
                        + " contains '..'; shards must be inside the checkpoint folder");
            }
        }
        Path absolute = base.resolve(relative).normalize();
        if (!absolute.startsWith(base) || absolute.equals(base)) {
            throw new SafetensorsFormatException(indexFile, tensor, "shard " + quoted
                    + " does not name a file inside the checkpoint folder");
        }
        return folder.normalize().resolve(relative).normalize();
    }

    /** The index text for {@code weightMap} (tensor to shard file name), ending with a newline. */
    static byte[] format(SortedMap<String, String> weightMap, long totalSize) {
        ObjectNode root = PYTHON_STYLE.createObjectNode();
        root.putObject("metadata").put("total_size", totalSize);
        ObjectNode map = root.putObject("weight_map");
        weightMap.forEach(map::put);
        try {
            return (PYTHON_STYLE.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode the index: " + e.getOriginalMessage(), e);
        }
    }
}
