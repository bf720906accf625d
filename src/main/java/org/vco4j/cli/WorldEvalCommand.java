package org.vco4j.cli;

import org.vco4j.common.AtomicFiles;
import org.vco4j.common.ProgressBar;
import org.vco4j.eval.EvalOptions;
import org.vco4j.eval.EvalResult;
import org.vco4j.eval.EvalResultFile;
import org.vco4j.eval.EvalSuite;
import org.vco4j.eval.bench.MetricTable;
import org.vco4j.model.PretrainedVlm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vco eval world}: the synthetic world's benchmarks on a checkpoint. */
@Command(name = "world", mixinStandardHelpOptions = true,
        description = {"Evaluate a checkpoint on a synthetic world folder (scenes.jsonl + images/).",
                "pope        yes/no object existence, random / popular / adversarial splits (forced choice yes vs no)",
                "            (POPE, MMVP and CHAIR are written in their published formats and scored by the public readers and scorers)",
                "mmvp        minimal-contrast image pairs, right only when both images are answered right",
                "neglect     caption perplexity with the matching image, its minimal contrast, and no image",
                "chair       greedy captions checked against the scene (CHAIR_s, CHAIR_i, recall, fluency)",
                "dependency  POPE and MMVP scores with and without the image, and the relative drop",
                "all         every benchmark above"})
final class WorldEvalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BENCHMARK", description = "pope, mmvp, neglect, chair, dependency or all.")
    String benchmark;

    @Mixin
    ModelOptions options;

    @Option(names = "--data", required = true, paramLabel = "WORLD_DIR", description = "World folder holding scenes.jsonl.")
    Path data;

    @Option(names = "--out", paramLabel = "FILE.json", description = "Also write metrics and per-item details here (atomically).")
    Path out;

    @Option(names = "--files", paramLabel = "DIR", description = "Keep POPE's, MMVP's and CHAIR's files in their published formats "
            + "(with the answers and the scorers' own result files) in this folder instead of a temporary one.")
    Path files;

    @Option(names = "--split", defaultValue = "eval", description = "Scenes to evaluate: eval or train (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--limit", defaultValue = "0", description = "At most N scenes (MMVP: pairs); 0 = all (default).")
    int limit;

    @Mixin
    Seed random;

    @Option(names = "--batch-size", defaultValue = "16", description = "Scored requests per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-new-tokens", defaultValue = "40", description = "CHAIR caption length limit (default: ${DEFAULT-VALUE}; the world's longest caption is 34 tokens).")
    int maxNewTokens;

    @Option(names = "--pairs", paramLabel = "FILE.jsonl", description = "MMVP pairs from this contrast file (training-sample format: "
            + "two images, two responses) instead of rendering them from the world.")
    Path pairs;

    @Option(names = "--pairs-out", paramLabel = "DIR", description = "Keep the rendered MMVP pairs (images + pairs.jsonl) in this folder.")
    Path pairsOut;

    @Override
    public Integer call() throws IOException {
        List<String> names = benchmark.equals("all") ? EvalSuite.BENCHMARKS : List.of(benchmark);
        if (!benchmark.equals("all") && !EvalSuite.BENCHMARKS.contains(benchmark)) {
            throw new IllegalArgumentException("unknown benchmark '" + benchmark + "' (known: " + EvalSuite.BENCHMARKS + " and all)");
        }
        if (pairs != null && pairsOut != null) throw new IllegalArgumentException("--pairs and --pairs-out exclude each other");
        if (out != null) AtomicFiles.checkTarget(out);
        EvalOptions evalOptions = new EvalOptions(split, limit, random.seed, batchSize, maxNewTokens);
        Map<String, ProgressBar> bars = new HashMap<>();
        try (PretrainedVlm vlm = options.load();
             EvalSuite suite = new EvalSuite(vlm.model(), vlm.processor(), data, evalOptions)) {
            suite.withProgress((stage, done, total) -> {
                if (done == 0) {
                    bars.put(stage, new ProgressBar(stage, total, "items"));
                    return;
                }
                ProgressBar bar = bars.get(stage);
                bar.advance(done - bar.done());
                if (done == total) bar.finish();
            });
            if (pairs != null) suite.pairsFrom(pairs);
            if (pairsOut != null) suite.renderPairsInto(pairsOut);
            if (files != null) suite.benchmarkFilesInto(files);
            List<EvalResult> results = new ArrayList<>();
            for (String name : names) {
                EvalResult result = suite.run(name);
                results.add(result);
                System.out.println("== " + name + " (" + vlm.folder() + ", " + split + " split, seed " + random.seed + ")");
                System.out.print(MetricTable.render(result.metrics()));
                System.out.println();
            }
            if (out != null) {
                Map<String, Object> settings = new LinkedHashMap<>();
                settings.put("model", vlm.folder().toString());
                settings.put("data", data.toString());
                settings.put("split", split);
                settings.put("limit", limit);
                settings.put("seed", random.seed);
                if (pairs != null) settings.put("pairs", pairs.toString());
                EvalResultFile.write(out, settings, results);
            }
        }
        return 0;
    }
}
