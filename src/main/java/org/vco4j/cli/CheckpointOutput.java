package org.vco4j.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options shared by the commands that write a checkpoint folder. */
final class CheckpointOutput {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to create.")
    Path out;

    @Option(names = "--legacy-keys", description = "Write pre-4.52 key names (language_model.model.*, vision_tower.*).")
    boolean legacyKeys;

    @Option(names = "--force", description = "Replace an existing folder.")
    boolean force;
}
