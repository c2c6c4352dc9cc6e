package io.securenn.train;

import java.util.Map;

/**
 * One epoch's revealed aggregates. loss is the mean over the epoch's examples of ½·Σ_i δ_i² with δ the output
 * gradient (for the square loss that is the loss itself; for ASM it is half the squared error of ASM against
 * the one-hot label). Accuracies are fractions; NaN where not computed or not revealed to this party.
 * counters: the backend's counters for the epoch (the twin's truncation statistics, a secure backend's bytes).
 */
public record EpochMetrics(int epoch, int batches, double loss, double trainAccuracy, double testAccuracy,
                           double seconds, Map<String, Number> counters) {}
