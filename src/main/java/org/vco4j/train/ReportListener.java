package org.vco4j.train;

import org.vco4j.train.report.TrainingReport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Writes the {@link TrainingReport} ({@code report.md} and its charts) from the metrics file when training ends. */
public final class ReportListener implements TrainingListener {
    private final Path metricsFile;
    private final String title;
    private final Map<String, ?> settings;
    private Path report;

    public ReportListener(Path metricsFile, String title, Map<String, ?> settings) {
        this.metricsFile = metricsFile;
        this.title = title;
        this.settings = settings;
    }

    @Override
    public void onTrainEnd(TrainerState state) throws IOException {
        report = TrainingReport.write(metricsFile, title, settings);
    }

    /** The report file once written, else null. */
    public Path report() {
        return report;
    }
}
