package org.vco4j.cli;

import org.vco4j.demo.Demo;
import org.vco4j.demo.DemoResult;
import org.vco4j.demo.DemoSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vco demo}: the whole pipeline on the built-in synthetic world, on a CPU, with no downloads. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Generate the synthetic contrast world, train a tiny base VLM, build contrastive data, train SFT, DPO, "
                + "mDPO, VCO, S-VCO, IC-VCO, JoMPO and SeVa from the same base, evaluate all, print the comparison and write report.md."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "vco-demo", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    Seed random;

    @Option(names = "--quick", description = "Smaller world, fewer steps: a smoke test of every stage (about two minutes).")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        DemoSettings settings = quick ? DemoSettings.quick(out, random.seed) : DemoSettings.full(out, random.seed);
        DemoResult result = new Demo(settings).run();
        System.out.println();
        System.out.print(result.table());
        System.out.println();
        System.out.println("report: " + result.report());
        return 0;
    }
}
