package org.vco4j.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.vco4j.common.Json;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Tiny benchmark folders in the published formats, with real JPEG images, written by the tests. */
final class BenchmarkFixtures {
    private BenchmarkFixtures() {}

    /** A 32×24 JPEG of one coloured square on white. */
    static Path jpeg(Path file, Color color) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 32, 24);
        g.setColor(color);
        g.fillRect(8, 4, 14, 14);
        g.dispose();
        if (!ImageIO.write(image, "jpg", file.toFile())) throw new IOException("no JPEG writer");
        return file;
    }

    /** The lines of a JSON Lines file the command wrote. */
    static List<JsonNode> jsonLines(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) nodes.add(Json.MAPPER.readTree(line));
        return nodes;
    }

    static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * POPE's layout: {@code pope/coco_pope_{random,popular,adversarial}.json} (two questions each, one "yes" one "no",
     * JSON Lines as in AoiDragon/POPE) and {@code val2014/} with the two COCO-named images.
     */
    static Path pope(Path dir) throws IOException {
        jpeg(dir.resolve("val2014/COCO_val2014_000000548882.jpg"), Color.RED);
        jpeg(dir.resolve("val2014/COCO_val2014_000000310196.jpg"), Color.BLUE);
        for (String split : List.of("random", "popular", "adversarial")) {
            write(dir.resolve("pope/coco_pope_" + split + ".json"),
                    "{\"question_id\": 1, \"image\": \"COCO_val2014_000000548882.jpg\", \"text\": \"Is there a dining table in the image?\", \"label\": \"yes\"}\n"
                    + "{\"question_id\": 2, \"image\": \"COCO_val2014_000000310196.jpg\", \"text\": \"Is there a " + split + " dog in the image?\", \"label\": \"no\"}\n");
        }
        return dir.resolve("pope");
    }

    /** MMVP's layout: {@code Questions.csv} (two pairs, commas and quotes in fields) and {@code MMVP Imgaes/1..4.jpg}. */
    static Path mmvp(Path dir) throws IOException {
        write(dir.resolve("Questions.csv"), "Index,Question,Options,Correct Answer\n"
                + "1,Are the butterfly's wings closer to being open or closed?,\"(a) Open (b) Closed\",(a)\n"
                + "2,Are the butterfly's wings closer to being open or closed?,\"(a) Open (b) Closed\",(b)\n"
                + "3,\"Is the dog facing left, or right, from the camera's view?\",(a) Left (b) Right,(b)\n"
                + "4,\"Is the dog facing left, or right, from the camera's view?\",(a) Left (b) Right,(a)\n");
        for (int i = 1; i <= 4; i++) jpeg(dir.resolve("MMVP Imgaes/" + i + ".jpg"), i % 2 == 0 ? Color.GREEN : Color.ORANGE);
        return dir;
    }

    /**
     * COCO 2014's layout for CHAIR: {@code annotations/instances_val2014.json} and {@code captions_val2014.json} (the
     * published keys and section order) for three images, of which {@code val2014/} holds two. Image 42: a person
     * (instance) and a dog (named by a reference caption); image 7: a toilet.
     */
    static Path coco(Path dir) throws IOException {
        String images = "\"images\": [{\"license\": 3, \"file_name\": \"COCO_val2014_000000000042.jpg\", \"height\": 24, \"width\": 32, \"id\": 42},"
                + " {\"license\": 3, \"file_name\": \"COCO_val2014_000000000007.jpg\", \"height\": 24, \"width\": 32, \"id\": 7},"
                + " {\"license\": 1, \"file_name\": \"COCO_val2014_000000000099.jpg\", \"height\": 24, \"width\": 32, \"id\": 99}]";
        write(dir.resolve("annotations/instances_val2014.json"), "{\"info\": {\"year\": 2014}, " + images + ", \"licenses\": [], "
                + "\"annotations\": [{\"segmentation\": [[1.0, 2.0, 3.0, 4.0]], \"area\": 9.5, \"iscrowd\": 0, \"image_id\": 42, \"bbox\": [1, 2, 3, 4], \"category_id\": 1, \"id\": 1},"
                + " {\"segmentation\": [[1.0, 2.0]], \"area\": 3.0, \"iscrowd\": 0, \"image_id\": 7, \"bbox\": [1, 2, 3, 4], \"category_id\": 70, \"id\": 2},"
                + " {\"segmentation\": [[1.0, 2.0]], \"area\": 3.0, \"iscrowd\": 0, \"image_id\": 99, \"bbox\": [1, 2, 3, 4], \"category_id\": 17, \"id\": 3}], "
                + "\"categories\": [{\"supercategory\": \"person\", \"id\": 1, \"name\": \"person\"}, {\"supercategory\": \"animal\", \"id\": 17, \"name\": \"cat\"},"
                + " {\"supercategory\": \"furniture\", \"id\": 70, \"name\": \"toilet\"}]}");
        write(dir.resolve("annotations/captions_val2014.json"), "{\"info\": {\"year\": 2014}, " + images + ", \"licenses\": [], "
                + "\"annotations\": [{\"image_id\": 42, \"id\": 11, \"caption\": \"A woman walks her puppies down the street.\"},"
                + " {\"image_id\": 7, \"id\": 12, \"caption\": \"A white bathroom.\"}, {\"image_id\": 99, \"id\": 13, \"caption\": \"A cat.\"}]}");
        jpeg(dir.resolve("val2014/COCO_val2014_000000000042.jpg"), Color.RED);
        jpeg(dir.resolve("val2014/COCO_val2014_000000000007.jpg"), Color.BLUE);
        return dir.resolve("annotations");
    }

    /**
     * MMHal-Bench's layout: {@code response_template.json} (three records of the published keys, two question types)
     * and {@code images/} holding the files their {@code image_src} URLs name.
     */
    static Path mmhal(Path dir) throws IOException {
        String[][] records = {
                {"attribute", "What color is the fire hydrant cap in the image?", "The cap is yellow.", "Fire hydrant", "10c00c3bd6a4b5c0_o.jpg"},
                {"counting", "How many cats can you see in this image?", "There are two cats.", "Lynx\", \"Cat", "8327384624_0ed4e2ca8f_o.jpg"},
                {"attribute", "What is the color of the bus?", "The bus is red.", "Bus", "5214b2f3a0c2d1e4_o.jpg"}};
        StringBuilder json = new StringBuilder("[\n");
        for (int i = 0; i < records.length; i++) {
            String[] r = records[i];
            json.append("  {\"question_type\": \"").append(r[0]).append("\", \"question_topic\": \"outdoor\", \"image_id\": \"id").append(i)
                    .append("\", \"image_src\": \"https://c2.staticflickr.com/4/3/").append(r[4]).append("\", \"image_content\": [\"").append(r[3])
                    .append("\"], \"question\": \"").append(r[1]).append("\", \"gt_answer\": \"").append(r[2]).append("\", \"model_answer\": \"\"}")
                    .append(i + 1 < records.length ? ",\n" : "\n");
            jpeg(dir.resolve("images/" + r[4]), i == 1 ? Color.GRAY : Color.YELLOW);
        }
        return write(dir.resolve("response_template.json"), json.append("]\n").toString());
    }

    /**
     * AMBER's {@code data/} layout: {@code query/query_all.json}, {@code annotations.json}, {@code relation.json},
     * {@code safe_words.txt} (the published list), and {@code images/AMBER_1..5.jpg}. Queries 1 and 5 are generative,
     * 2 existence, 3 attribute (state), 4 relation.
     */
    static Path amber(Path dir) throws IOException {
        Path data = dir.resolve("data");
        write(data.resolve("relation.json"), "{\"dog\": [\"puppy\", \"leash\"], \"tree\": [\"leaf\"], \"cat\": [\"kitten\"], "
                + "\"frisbee\": [], \"car\": [\"wheel\"], \"bus\": [\"vehicle\"]}");
        write(data.resolve("safe_words.txt"), "orange\nsnack\nline\ncamera\nlight\nshoe\nsign\nrange\nindividual");
        write(data.resolve("annotations.json"), "[{\"id\": 1, \"type\": \"generative\", \"truth\": [\"dog\", \"tree\"], \"hallu\": [\"cat\", \"frisbee\"]},\n"
                + " {\"id\": 2, \"type\": \"discriminative-hallucination\", \"truth\": \"no\"},\n"
                + " {\"id\": 3, \"type\": \"discriminative-attribute-state\", \"truth\": \"yes\"},\n"
                + " {\"id\": 4, \"type\": \"discriminative-relation\", \"truth\": \"no\"},\n"
                + " {\"id\": 5, \"type\": \"generative\", \"truth\": [\"car\"], \"hallu\": [\"cat\"]}]");
        write(data.resolve("query/query_all.json"), "[{\"id\": 1, \"image\": \"AMBER_1.jpg\", \"query\": \"Describe this image.\"},\n"
                + " {\"id\": 2, \"image\": \"AMBER_2.jpg\", \"query\": \"Is there a cat in this image?\"},\n"
                + " {\"id\": 3, \"image\": \"AMBER_3.jpg\", \"query\": \"Is the dog running in this image?\"},\n"
                + " {\"id\": 4, \"image\": \"AMBER_4.jpg\", \"query\": \"Is the dog on the tree in this image?\"},\n"
                + " {\"id\": 5, \"image\": \"AMBER_5.jpg\", \"query\": \"Describe this image.\"}]");
        for (int i = 1; i <= 5; i++) jpeg(dir.resolve("images/AMBER_" + i + ".jpg"), i % 2 == 0 ? Color.PINK : Color.CYAN);
        return data;
    }

    /** CV-Bench's layout: {@code test.jsonl} (the published keys; ADE20K, COCO and two Omni3D questions) and {@code img/}. */
    static Path cvBench(Path dir) throws IOException {
        String[][] rows = {{"0", "2D", "Count", "ADE20K", "img/2D/count/ade20k_10.png", "How many organs are in the image? Select from the following choices.\\n(A) 3\\n(B) 2\\n(C) 1\\n(D) 0", "(C)"},
                {"1", "2D", "Relation", "COCO", "img/2D/relation/coco_5.png", "Is the cat left or right of the dog?\\n(A) left\\n(B) right", "(A)"},
                {"2", "3D", "Depth", "Omni3D", "img/3D/depth/omni3d_1.png", "Which is closer to the camera?\\n(A) chair\\n(B) table", "(B)"},
                {"3", "3D", "Depth", "Omni3D", "img/3D/depth/omni3d_2.png", "Which is closer to the camera?\\n(A) lamp\\n(B) sofa", "(A)"}};
        StringBuilder lines = new StringBuilder();
        for (String[] r : rows) {
            lines.append("{\"idx\": ").append(r[0]).append(", \"type\": \"").append(r[1]).append("\", \"task\": \"").append(r[2])
                    .append("\", \"image\": \"").append(r[4]).append("\", \"question\": \"?\", \"choices\": [\"a\", \"b\"], \"answer\": \"")
                    .append(r[6]).append("\", \"prompt\": \"").append(r[5]).append("\", \"source\": \"").append(r[3]).append("\"}\n");
            jpeg(dir.resolve(r[4]), Color.MAGENTA);
        }
        return write(dir.resolve("test.jsonl"), lines.toString());
    }

    /**
     * HallusionBench's layout: {@code HallusionBench.json} (the published keys) and {@code hallusion_bench/...} PNGs. A
     * visual-dependent set (two questions, each on the original and an edited figure) and a visual-supplement question
     * asked without and with its figure.
     */
    static Path hallusion(Path dir) throws IOException {
        // category, subcategory, visual_input, figure_id, question_id, gt_answer
        return hallusion(dir, new String[][] {{"VD", "ocr", "1", "0", "0", "1"}, {"VD", "ocr", "2", "1", "0", "0"}, {"VD", "ocr", "1", "0", "1", "0"},
                {"VD", "ocr", "2", "1", "1", "1"}, {"VS", "chart", "0", "0", "0", "1"}, {"VS", "chart", "1", "1", "0", "1"}});
    }

    /** HallusionBench.json with one record per row: category, subcategory, visual_input, figure_id, question_id, gt_answer. */
    static Path hallusion(Path dir, String[][] rows) throws IOException {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < rows.length; i++) {
            String[] r = rows[i];
            String filename = r[2].equals("0") ? "null" : "\"./hallusion_bench/" + r[0] + "/" + r[1] + "/0_" + r[3] + ".png\"";
            if (!r[2].equals("0")) {
                Path image = dir.resolve("hallusion_bench/" + r[0] + "/" + r[1] + "/0_" + r[3] + ".png");
                Files.createDirectories(image.getParent());
                BufferedImage picture = new BufferedImage(20, 16, BufferedImage.TYPE_INT_RGB);
                ImageIO.write(picture, "png", image.toFile());
            }
            json.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT, "  {\"category\": \"%s\", \"subcategory\": \"%s\", \"visual_input\": \"%s\", "
                    + "\"set_id\": \"0\", \"figure_id\": \"%s\", \"sample_note\": \"note\", \"question_id\": \"%s\", "
                    + "\"question\": \"Is the value in the figure above 10?\", \"gt_answer_details\": \"details %d\", \"gt_answer\": \"%s\", "
                    + "\"filename\": %s}", r[0], r[1], r[2], r[3], r[4], i, r[5], filename));
        }
        return write(dir.resolve("HallusionBench.json"), json.append("\n]\n").toString());
    }
}
