package org.vco4j.cli;

import org.vco4j.eval.bench.MetricTable;
import org.vco4j.eval.bench.AmberBenchmark;
import org.vco4j.eval.bench.AnsweringModel;
import org.vco4j.eval.bench.BenchmarkRunner;
import org.vco4j.eval.bench.ChairBenchmark;
import org.vco4j.eval.bench.CvBench;
import org.vco4j.eval.bench.HallusionBench;
import org.vco4j.eval.bench.MmhalBenchmark;
import org.vco4j.eval.bench.MmvpBenchmark;
import org.vco4j.eval.bench.ObjectHalBench;
import org.vco4j.eval.bench.PopeBenchmark;
import org.vco4j.eval.bench.PublicBenchmark;
import org.vco4j.eval.bench.VlmEvalTsv;
import org.vco4j.endpoint.ChatClient;
import org.vco4j.model.generation.GenerationConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vco eval}: public hallucination benchmarks in their published formats, and the synthetic world's. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a checkpoint (plus an optional LoRA adapter) on a benchmark as published, scored by its official rule.",
                "Answers go to OUT/answers.jsonl as they come (a rerun continues where a run stopped); the metrics to "
                        + "OUT/summary.json and OUT/summary.md."},
        subcommands = {EvalCommand.PopeCommand.class, EvalCommand.MmvpCommand.class, EvalCommand.ChairCommand.class,
                EvalCommand.ObjhalCommand.class,
                EvalCommand.MmhalCommand.class, EvalCommand.AmberCommand.class,
                EvalCommand.CvBenchCommand.class, EvalCommand.HallusionCommand.class,
                EvalCommand.VlmEvalCommand.class, WorldEvalCommand.class})
final class EvalCommand extends CommandGroup {

    /** The grader of benchmarks that have a rule and an LLM-judge grader (MMVP, HallusionBench). */
    static final class Grader {
        @Option(names = "--grader", defaultValue = "rule", paramLabel = "rule|judge",
                description = "rule: the benchmark's rule grader (default); judge: its LLM-judge grader on the --judge-* endpoint.")
        String grader;

        @Mixin
        JudgeOptions judge;

        /** The judge when --grader judge, else null (the rule grader). */
        ChatClient judgeOrNone(Path out) {
            if (!grader.equals("rule") && !grader.equals("judge")) throw new IllegalArgumentException("--grader must be rule or judge, got '" + grader + "'");
            return grader.equals("judge") ? judge.open(out) : null;
        }
    }

    /** What every public benchmark takes: the model, the data as published, generation settings, the output folder. */
    abstract static class BenchmarkCommand implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ModelSource source;

        /** A checkpoint here (--model, with --device, --dtype) or a model behind an endpoint (--endpoint, --endpoint-model). */
        static final class ModelSource {
            @ArgGroup(exclusive = false)
            ModelOptions local;

            @ArgGroup(exclusive = false)
            EndpointOptions endpoint;
        }

        @Option(names = "--adapter", paramLabel = "DIR", description = "PEFT LoRA adapter folder to evaluate on top of --model.")
        Path adapter;

        @Option(names = "--data", required = true, paramLabel = "PATH", description = "The benchmark's files as published.")
        Path data;

        @Option(names = "--images", paramLabel = "DIR", description = "The benchmark's image folder.")
        Path images;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "Output folder: answers.jsonl, the benchmark's result files, summary.json and summary.md.")
        Path out;

        @Option(names = "--instruction", paramLabel = "TEXT", description = "Replaces the benchmark's default instruction (\"\" for none).")
        String instruction;

        @Option(names = "--limit", defaultValue = "0", description = "At most the first N questions per split (POPE), pairs (MMVP), images (CHAIR) or records (the others); 0 = all (default).")
        int limit;

        @Option(names = "--max-new-tokens", defaultValue = "128", description = "Answer length limit (default: ${DEFAULT-VALUE}).")
        int maxNewTokens;

        @Mixin
        Sampling sampling;

        @Mixin
        Seed random;

        /** Reads and checks the benchmark's files (before the model loads). */
        abstract PublicBenchmark read() throws IOException;

        @Override
        public Integer call() throws IOException {
            if (limit < 0) throw new IllegalArgumentException("--limit must be >= 0, got " + limit);
            GenerationConfig generation = sampling.config(maxNewTokens, random);
            PublicBenchmark benchmark = read();
            ModelOptions local = source.local;
            if (local == null && adapter != null) throw new IllegalArgumentException("--adapter needs --model (an endpoint serves its own weights)");
            AnsweringModel model = local != null ? AnsweringModel.local(local.model, local::load, adapter)
                    : AnsweringModel.endpoint(source.endpoint.open(out));
            BenchmarkRunner.Summary summary = BenchmarkRunner.run(benchmark, model, generation, out);
            String name = local != null ? local.model + (adapter == null ? "" : " + " + adapter)
                    : source.endpoint.model + " at " + source.endpoint.url;
            System.out.println("== " + summary.benchmark() + " (" + name + "; "
                    + summary.answered() + " answers, " + summary.resumed() + " read back from " + out + ")");
            System.out.print(MetricTable.render(summary.metrics()));
            return 0;
        }
    }

    @Command(name = PopeBenchmark.NAME, mixinStandardHelpOptions = true,
            description = {"POPE: --data coco_pope_<split>.json or a folder of them (question_id, image, text, label); --images COCO val2014.",
                    "Answers parsed as POPE's evaluate.py; accuracy, precision, recall, F1, yes-ratio per split."})
    static final class PopeCommand extends BenchmarkCommand {
        @Override
        PublicBenchmark read() throws IOException {
            return PopeBenchmark.read(data, images, instruction, limit);
        }
    }

    @Command(name = MmvpBenchmark.NAME, mixinStandardHelpOptions = true,
            description = {"MMVP: --data the folder holding Questions.csv (or the file); --images defaults to its 'MMVP Images' "
                    + "(or 'MMVP Imgaes') folder. Rule grader; pair accuracy over consecutive rows."})
    static final class MmvpCommand extends BenchmarkCommand {
        @Mixin
        Grader grader;

        @Override
        PublicBenchmark read() throws IOException {
            return MmvpBenchmark.read(data, images, instruction, limit, grader.judgeOrNone(out));
        }
    }

    @Command(name = ChairBenchmark.NAME, mixinStandardHelpOptions = true,
            description = {"CHAIR on COCO: --data the folder of instances_val2014.json and captions_val2014.json (+ the train2014 pair); "
                    + "--images the COCO images to caption (e.g. 500 of val2014).",
                    "CHAIR_s, CHAIR_i and recall as the reference chair.py; its input (captions.json) and output (chair.json) files."})
    static final class ChairCommand extends BenchmarkCommand {
        @Override
        PublicBenchmark read() throws IOException {
            return ChairBenchmark.read(data, images, instruction, limit);
        }
    }

    @Command(name = ObjectHalBench.NAME, mixinStandardHelpOptions = true,
            description = {"Object HalBench as RLHF-V publishes it: --data obj_halbench_300_with_image.jsonl (image_id, question, image "
                    + "as base64; decoded into OUT/objhal_images); --annotations the COCO 2014 annotation folder (instances and captions, "
                    + "val2014 and train2014); --images only for a file without embedded images.",
                    "CHAIR as chair: response and object hallucination (CHAIRs_refine, CHAIRs, CHAIRi), recall, length; the "
                            + "script's answer and output files."})
    static final class ObjhalCommand extends BenchmarkCommand {
        @Option(names = "--annotations", required = true, paramLabel = "DIR",
                description = "COCO 2014 annotations: instances_val2014.json, captions_val2014.json (+ the train2014 pair).")
        Path annotations;

        @Override
        PublicBenchmark read() throws IOException {
            return ObjectHalBench.read(data, images, annotations, out, instruction, limit);
        }
    }

    @Command(name = MmhalBenchmark.NAME, mixinStandardHelpOptions = true,
            description = {"MMHal-Bench: --data response_template.json (or its folder); --images the benchmark's images.",
                    "Graded by the LLM judge (--judge-*) with the reference prompt; average score, hallucination rate, per question type."})
    static final class MmhalCommand extends BenchmarkCommand {
        @Mixin
        JudgeOptions judge;

        @Override
        PublicBenchmark read() throws IOException {
            return MmhalBenchmark.read(data, images, instruction, limit, judge.open(out));
        }
    }

    @Command(name = AmberBenchmark.NAME, mixinStandardHelpOptions = true,
            description = {"AMBER: --data AMBER's data/ folder (query/query_all.json, annotations.json, relation.json, safe_words.txt); "
                    + "--images its images.",
                    "Discriminative accuracy/precision/recall/F1 (\"No\" positive) and generative CHAIR, Cover, Hal, Cog as inference.py."})
    static final class AmberCommand extends BenchmarkCommand {
        @Option(names = "--word-vectors", paramLabel = "FILE",
                description = "Word vectors (word2vec text format; spaCy en_core_web_lg exported) for the reference's synonym test; "
                        + "without them nouns match exactly.")
        Path wordVectors;

        @Option(names = "--similarity", defaultValue = "0.8", description = "Cosine above which two nouns are synonyms (default: ${DEFAULT-VALUE}).")
        double similarity;

        @Override
        PublicBenchmark read() throws IOException {
            return AmberBenchmark.read(data, images, instruction, limit, wordVectors, similarity);
        }
    }

    @Command(name = CvBench.NAME, mixinStandardHelpOptions = true,
            description = {"CV-Bench: --data test.jsonl (or its folder; idx, source, task, image, prompt, answer); images resolved "
                    + "in its folder unless --images.",
                    "S-VCO's rule grader; accuracy per source, 2D, 3D, overall (mean of 2D and 3D), per task."})
    static final class CvBenchCommand extends BenchmarkCommand {
        @Override
        PublicBenchmark read() throws IOException {
            return CvBench.read(data, images, instruction, limit);
        }
    }

    @Command(name = HallusionBench.NAME, mixinStandardHelpOptions = true,
            description = {"HallusionBench: --data HallusionBench.json (or its folder); --images the folder its 'filename' paths start from.",
                    "Yes/no rule or the reference's judge prompt (--grader judge); aAcc, fAcc, qAcc (easy, hard), per category."})
    static final class HallusionCommand extends BenchmarkCommand {
        @Mixin
        Grader grader;

        @Override
        PublicBenchmark read() throws IOException {
            return HallusionBench.read(data, images, instruction, limit, grader.judgeOrNone(out));
        }
    }

    @Command(name = VlmEvalTsv.NAME, mixinStandardHelpOptions = true,
            description = {"A VLMEvalKit multiple-choice TSV (index, question, A, B, ..., answer, image as base64 or a row index; "
                    + "hint, category optional): --data FILE.tsv; images are decoded into OUT/tsv_images.",
                    "VLMEvalKit's prompt and exact matching; accuracy, per category, circular accuracy for MMBench-style copies."})
    static final class VlmEvalCommand extends BenchmarkCommand {
        @Override
        PublicBenchmark read() throws IOException {
            return VlmEvalTsv.read(data, out, instruction, limit);
        }
    }
}
