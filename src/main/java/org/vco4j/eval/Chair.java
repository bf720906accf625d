package org.vco4j.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.javacpp.PointerScope;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;
import org.vco4j.data.world.CaptionGrammar;
import org.vco4j.data.world.Captions;
import org.vco4j.data.world.Scene;
import org.vco4j.data.world.WorldVocabulary;
import org.vco4j.eval.bench.BenchmarkItem;
import org.vco4j.eval.bench.ChairBenchmark;
import org.vco4j.model.VisionLanguageModel;
import org.vco4j.model.generation.GenerationConfig;
import org.vco4j.model.generation.Generator;
import org.vco4j.model.processing.VlmProcessor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CHAIR on the synthetic world, through the public benchmark's own files and code: the evaluated scenes are written
 * as COCO 2014 annotations ({@code annotations/instances_val2014.json}: images, one instance per object, the six
 * shapes as categories; {@code annotations/captions_val2014.json}: the world's true caption as each image's
 * reference caption) with the shapes as CHAIR's object list ({@code synonyms.txt}, the reference's format), read
 * back by {@link ChairBenchmark}, captioned greedily ("Describe the image.") and scored by it: a shape word is
 * hallucinated when the scene has no object of that shape. Metrics: {@code chair/chair_s}, {@code chair/chair_i}
 * (NaN when no caption names a shape), {@code chair/recall}, {@code chair/object_words}, {@code chair/captions}, and
 * {@code chair/fluency}: the share of captions that are sentences of the world's grammar ({@link CaptionGrammar}).
 */
public final class Chair {
    /** CHAIR's object list for the world: its shapes. */
    public static final String SYNONYMS_FILE = "synonyms.txt";
    public static final String ANNOTATIONS_FOLDER = "annotations";

    /** One generated caption, and whether it is a well-formed sentence of the world. */
    public record Caption(String scene, String caption, boolean fluent) {}

    private final Generator generator;
    private final List<Scene> scenes;
    private final Path worldFolder;
    private final int maxNewTokens;
    private final Path folder;

    /** @param folder where the annotations, the object list and CHAIR's own result files go */
    public Chair(VisionLanguageModel model, VlmProcessor processor, Path worldFolder, List<Scene> scenes, int maxNewTokens, Path folder) {
        this.generator = new Generator(model, processor);
        this.worldFolder = worldFolder;
        this.scenes = List.copyOf(scenes);
        this.maxNewTokens = maxNewTokens;
        this.folder = folder;
    }

    public EvalResult run(EvalProgress progress) throws IOException {
        Path images = write(worldFolder, scenes, folder);
        ChairBenchmark chair = ChairBenchmark.read(folder.resolve(ANNOTATIONS_FOLDER), images, WorldQuestions.DESCRIBE, 0,
                folder.resolve(SYNONYMS_FILE));
        List<BenchmarkItem> items = chair.items();
        Map<String, String> answers = new LinkedHashMap<>();
        List<Caption> captions = new ArrayList<>();
        progress.update("chair", 0, items.size());
        int fluent = 0;
        for (BenchmarkItem item : items) {
            String text;
            try (PointerScope scope = new PointerScope()) {
                text = generator.generate(item.context(), GenerationConfig.greedy(maxNewTokens)).text();
            }
            answers.put(item.id(), text);
            boolean ok = CaptionGrammar.isFluent(text);
            if (ok) fluent++;
            captions.add(new Caption(scenes.get(Integer.parseInt(item.id()) - 1).id(), text, ok));
            progress.update("chair", answers.size(), items.size());
        }
        Path out = folder.resolve("answers");
        Files.createDirectories(out);
        Map<String, Double> metrics = new LinkedHashMap<>(chair.score(answers, out));
        metrics.put("chair/fluency", fluency(fluent, items.size()));
        return new EvalResult("chair", metrics, captions);
    }

    /** The share of fluent captions; NaN without captions. */
    static double fluency(int fluent, int captions) {
        return captions == 0 ? Double.NaN : (double) fluent / captions;
    }

    /**
     * Writes the scenes as COCO annotations (image id = 1-based position in {@code scenes}) and the shapes as CHAIR's
     * object list into {@code folder}; returns the image folder, which all the scenes' images must share.
     */
    static Path write(Path worldFolder, List<Scene> scenes, Path folder) throws IOException {
        Path images = null;
        for (Scene scene : scenes) {
            Path parent = worldFolder.resolve(scene.image()).toAbsolutePath().normalize().getParent();
            if (images == null) images = parent;
            else if (!images.equals(parent)) {
                throw new IllegalArgumentException(worldFolder.resolve("scenes.jsonl") + ": scene " + scene.id()
                        + ": CHAIR needs every image in one folder, but " + scene.image() + " is not in " + images);
            }
        }
        ObjectNode instances = Json.MAPPER.createObjectNode();
        ObjectNode captions = Json.MAPPER.createObjectNode();
        ArrayNode imageList = instances.putArray("images");
        ArrayNode annotations = instances.putArray("annotations");
        ArrayNode categories = instances.putArray("categories");
        ArrayNode captionList = captions.putArray("annotations");
        for (int s = 0; s < WorldVocabulary.SHAPES.size(); s++) {
            categories.addObject().put("id", s + 1).put("name", WorldVocabulary.SHAPES.get(s)).put("supercategory", "shape");
        }
        int annotation = 0;
        for (int i = 0; i < scenes.size(); i++) {
            Scene scene = scenes.get(i);
            imageList.addObject().put("id", i + 1).put("file_name", worldFolder.resolve(scene.image()).getFileName().toString());
            for (var object : scene.objects()) {
                annotations.addObject().put("id", ++annotation).put("image_id", i + 1)
                        .put("category_id", WorldVocabulary.SHAPES.indexOf(object.shape()) + 1);
            }
            captionList.addObject().put("id", i + 1).put("image_id", i + 1).put("caption", Captions.describe(scene.objects()));
        }
        captions.set("images", imageList.deepCopy());
        Path annotationFolder = folder.resolve(ANNOTATIONS_FOLDER);
        Files.createDirectories(annotationFolder);
        AtomicFiles.write(annotationFolder.resolve("instances_val2014.json"), Json.MAPPER.writeValueAsBytes(instances));
        AtomicFiles.write(annotationFolder.resolve("captions_val2014.json"), Json.MAPPER.writeValueAsBytes(captions));
        AtomicFiles.write(folder.resolve(SYNONYMS_FILE), synonyms().getBytes(StandardCharsets.UTF_8));
        return images;
    }

    /**
     * One line per shape. CHAIR singularizes every caption word first and drops a final "s" where no rule applies,
     * so "cross" is read as "cros": the list names that form too (the reference maps "wine glas" back for the same reason).
     */
    static String synonyms() {
        StringBuilder text = new StringBuilder();
        for (String shape : WorldVocabulary.SHAPES) {
            Set<String> words = new LinkedHashSet<>(List.of(shape));
            if (shape.endsWith("ss")) words.add(shape.substring(0, shape.length() - 1));
            text.append(String.join(", ", words)).append('\n');
        }
        return text.toString();
    }
}
