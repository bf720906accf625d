package org.vco4j.demo;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Every model's measured metrics (base first), the comparison table, and where the report is. */
public record DemoResult(List<String> models, Map<String, Map<String, Double>> metrics, String table, Path report,
                         Map<String, Double> stageSeconds) {}
