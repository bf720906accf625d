package org.vco4j.common;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntFunction;

/**
 * The folder a resumable job keeps beside its output while it runs: a manifest of the job's settings, then one file
 * per finished unit (a batch, a block), each written atomically. A rerun continues after the last finished unit when
 * its settings match the manifest.
 */
public final class PartialRun {
    private PartialRun() {}

    /**
     * The manifest an interrupted run left in {@code partial}; null when there was none, after starting the folder
     * afresh (anything in it removed) with {@code manifest}.
     */
    public static JsonNode resume(Path partial, String manifestName, JsonNode manifest) throws IOException {
        Path file = partial.resolve(manifestName);
        if (Files.isRegularFile(file)) return Json.MAPPER.readTree(file.toFile());
        if (Files.exists(partial)) Folders.deleteRecursively(partial);
        Files.createDirectories(partial);
        AtomicFiles.write(file, Json.PRETTY.writeValueAsBytes(manifest));
        return null;
    }

    /** How many units, from the first, have their file in {@code partial}. */
    public static int finished(Path partial, int units, IntFunction<String> unitFile) {
        int done = 0;
        while (done < units && Files.isRegularFile(partial.resolve(unitFile.apply(done)))) done++;
        return done;
    }
}
