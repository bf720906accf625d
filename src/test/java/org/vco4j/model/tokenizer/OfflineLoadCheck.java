package org.vco4j.model.tokenizer;

import java.io.IOException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Run in a fresh JVM by {@link OfflineLoadTest}: loads a tokenizer with no DJL settings given, with every
 * http and https connection refused and recorded before any socket opens, and reports what DJL attempted.
 * Arguments: the tokenizer folder and the DJL cache folder.
 */
public final class OfflineLoadCheck {
    public static void main(String[] args) throws IOException {
        List<String> attempts = new CopyOnWriteArrayList<>();
        URL.setURLStreamHandlerFactory(protocol -> protocol.equals("http") || protocol.equals("https") ? new URLStreamHandler() {
            @Override
            protected URLConnection openConnection(URL u) throws IOException {
                attempts.add(u.toString());
                throw new IOException("network access refused in this check: " + u);
            }
        } : null);
        try (TextTokenizer t = TextTokenizer.load(Path.of(args[0]))) {
            System.out.println("ids " + java.util.Arrays.toString(t.encode("red circle", true)));
        }
        System.out.println("offline " + System.getProperty("ai.djl.offline"));
        try (Stream<Path> files = Files.walk(Path.of(args[1]))) {
            files.filter(p -> p.getFileName().toString().startsWith("libtokenizers")).forEach(p -> System.out.println("library " + p));
        }
        System.out.println("attempts " + attempts);
        System.exit(attempts.isEmpty() ? 0 : 3);
    }
}
