package org.vco4j.data.endpoints;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.Json;
import org.vco4j.data.imports.SourceRecord;
import org.vco4j.endpoint.EndpointSettings;
import org.vco4j.model.image.ImageLoadException;
import org.vco4j.model.image.ImageLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the endpoint pipelines share: how inputs and endpoints enter a run's manifest, image paths, file names. */
final class EndpointPipelines {
    private EndpointPipelines() {}

    /** A file as a manifest names it: path, size and modification time, so a changed input is not resumed. */
    static ObjectNode describe(Path file) throws IOException {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("path", file.toAbsolutePath().normalize().toString());
        node.put("bytes", Files.size(file));
        node.put("modified", Files.getLastModifiedTime(file).toMillis());
        return node;
    }

    /** An endpoint as a manifest names it: its URL and model. */
    static ObjectNode describe(EndpointSettings settings) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("url", settings.baseUrl().toString());
        node.put("model", settings.model());
        return node;
    }

    /** A record's image: {@code relative} under {@code folder}, which it may not leave, an existing readable image. */
    static Path image(SourceRecord record, String relative, Path folder) {
        Path file = folder.resolve(relative).normalize();
        if (Path.of(relative).isAbsolute() || !file.startsWith(folder)) {
            throw record.error("image", "'" + relative + "' must be a path inside " + folder);
        }
        if (!Files.isRegularFile(file)) throw record.error("image", "'" + relative + "' does not exist (" + file + ")");
        try {
            ImageLoader.checkHeader(file);
        } catch (ImageLoadException e) {
            throw record.error("image", "'" + relative + "': " + e.getMessage());
        }
        return file;
    }

    /**
     * A record id as a file name: characters other than letters, digits, '.', '_' and '-' become '_', and the id's
     * hash follows, so two ids never share a name.
     */
    static String fileName(String id) {
        String name = id.replaceAll("[^A-Za-z0-9._-]", "_");
        return (name.startsWith(".") ? "_" + name.substring(1) : name) + "-" + String.format("%08x", id.hashCode());
    }
}
