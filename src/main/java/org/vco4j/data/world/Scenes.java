package org.vco4j.data.world;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.vco4j.common.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes {@code scenes.jsonl} of a world folder: one {@link Scene} per line, image paths relative to
 * the folder. Errors name the file, line and problem.
 */
public final class Scenes {
    public static final String FILE_NAME = "scenes.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Scenes() {}

    public static List<Scene> read(Path worldFolder) throws IOException {
        Path file = worldFolder.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": not found (is " + worldFolder + " a world folder?)");
        List<Scene> scenes = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            try {
                scenes.add(JSON.readValue(lines.get(i), Scene.class));
            } catch (ValueInstantiationException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getCause().getMessage());
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        return scenes;
    }

    /** Writes atomically (temporary file, then rename). */
    public static void write(Path worldFolder, List<Scene> scenes) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (Scene scene : scenes) lines.append(JSON.writeValueAsString(scene)).append('\n');
        AtomicFiles.write(worldFolder.resolve(FILE_NAME), lines.toString().getBytes(StandardCharsets.UTF_8));
    }
}
