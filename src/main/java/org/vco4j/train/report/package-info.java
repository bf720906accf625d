/**
 * What a training run shows and leaves behind: {@link org.vco4j.train.report.MetricsLog} ({@code
 * metrics.jsonl}, one record per logged step), {@link org.vco4j.train.report.TrainingReport} ({@code
 * report.md} with tables and {@link org.vco4j.train.report.LinePlot} charts) and the
 * {@link org.vco4j.common.ProgressBar} on standard error. They plug into the trainer loop; none
 * depends on it.
 */
package org.vco4j.train.report;
