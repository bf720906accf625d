package org.vco4j.model.encoder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The images to embed, each with its id, in id order: every image file under a folder (ids are the paths relative
 * to it, with {@code /}), or the paths listed in a text file, one a line (ids as written, resolved against the
 * list's folder; blank lines skipped).
 *
 * @param ids   the ids, sorted
 * @param files the file of each id
 */
public record ImageList(List<String> ids, List<Path> files) {
    /** The file name endings taken as images when a folder is walked. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    /** The images of a folder or a list file. */
    public static ImageList read(Path source) throws IOException {
        if (Files.isDirectory(source)) return ofFolder(source);
        if (!Files.exists(source)) throw new NoSuchFileException(source + ": no such folder or list file");
        return ofList(source);
    }

    private static ImageList ofFolder(Path folder) throws IOException {
        Map<String, Path> byId = new HashMap<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).filter(ImageList::isImage).toList()) {
                Path relative = folder.relativize(file);
                byId.put(relative.toString().replace(relative.getFileSystem().getSeparator(), "/"), file);
            }
        }
        if (byId.isEmpty()) {
            throw new IllegalArgumentException(folder + ": no image files (" + String.join(", ", EXTENSIONS.stream().sorted().toList()) + ")");
        }
        return sorted(byId);
    }

    private static ImageList ofList(Path list) throws IOException {
        Map<String, Path> byId = new HashMap<>();
        List<String> lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        Path base = list.toAbsolutePath().getParent();
        for (int i = 0; i < lines.size(); i++) {
            String id = lines.get(i).strip();
            if (id.isEmpty()) continue;
            if (byId.put(id, base.resolve(id)) != null) {
                throw new IllegalArgumentException(list + ": line " + (i + 1) + ": image '" + id + "' is listed twice");
            }
        }
        if (byId.isEmpty()) throw new IllegalArgumentException(list + ": lists no image");
        return sorted(byId);
    }

    private static ImageList sorted(Map<String, Path> byId) {
        List<String> ids = new ArrayList<>(byId.keySet());
        ids.sort(Comparator.naturalOrder());
        return new ImageList(List.copyOf(ids), ids.stream().map(byId::get).toList());
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return !name.startsWith(".") && dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    public int size() {
        return ids.size();
    }
}
