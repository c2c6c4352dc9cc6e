package io.securenn.bench;

import io.securenn.model.Architecture;

import java.util.OptionalDouble;

/**
 * The whitepaper's published figures for the benchmark rows (spec §3.3 and §3.7): three EC2 c4.8xlarge hosts,
 * LAN 625 MB/s with 0.22 ms ping, WAN 40 MB/s with 58 ms ping.
 *
 * <ul>
 *   <li>Inference: Table 7 (batch 1 and 128, LAN and WAN seconds, MB); the batch-1 LAN figures equal Table 6's.</li>
 *   <li>Training: Table 3 gives hours for 15 epochs at batch 128, "extrapolated from 10 iterations" (§3.1). One
 *       iteration is therefore hours·3600 / (15 epochs · 468 iterations), 468 = ⌊60000 / 128⌋ full batches of
 *       MNIST per epoch (the paper does not say whether it counted the last partial batch; with 469 the figures
 *       are 0.2 % lower). A: 1.03 h → 0.528 s (LAN), 7.83 h → 4.015 s (WAN). The paper gives no training MB.</li>
 * </ul>
 */
public final class PaperFigures {
    private PaperFigures() {}

    /** Which of the paper's two network settings a figure belongs to. */
    public enum Setting { LAN, WAN }

    public static final int TRAINING_EPOCHS = 15;
    public static final int ITERATIONS_PER_EPOCH = 60000 / 128;   // 468

    // Table 7: {LAN b1, LAN b128, WAN b1, WAN b128, MB b1, MB b128}
    private static final double[][] INFERENCE = {
            {0.043, 0.38, 2.43, 2.79, 2.1, 29},          // A
            {0.13, 7.18, 3.93, 21.99, 8.86, 1066},       // B
            {0.23, 10.82, 4.08, 30.45, 18.94, 1550},     // C
            {0.076, 2.6, 3.06, 8.04, 4.05, 317.7},       // D
    };

    // Table 3 (batch 128, 15 epochs): {LAN hours, WAN hours}; D is inference only
    private static final double[][] TRAINING_HOURS_15_EPOCHS = {
            {1.03, 7.83},      // A
            {17.4, 53.98},     // B
            {29.95, 91.99},    // C
    };

    /** The paper's seconds for the row in that setting, if it published one. */
    public static OptionalDouble seconds(BenchCase c, Setting s) {
        if (c.model() != null) return OptionalDouble.empty();
        int n = c.network().ordinal();
        if (c.mode() == BenchCase.Mode.INFERENCE) {
            int col = column(c.batch());
            if (col < 0) return OptionalDouble.empty();
            return OptionalDouble.of(INFERENCE[n][(s == Setting.LAN ? 0 : 2) + col]);
        }
        if (c.batch() != 128 || c.network() == Architecture.D) return OptionalDouble.empty();
        double hours = TRAINING_HOURS_15_EPOCHS[n][s == Setting.LAN ? 0 : 1];
        return OptionalDouble.of(trainingIterationSeconds(hours));
    }

    /** Seconds per iteration from Table 3's hours for 15 epochs. */
    public static double trainingIterationSeconds(double hoursFor15Epochs) {
        return hoursFor15Epochs * 3600 / ((double) TRAINING_EPOCHS * ITERATIONS_PER_EPOCH);
    }

    /** The paper's total communication in MB (10^6 bytes), inference only. */
    public static OptionalDouble megabytes(BenchCase c) {
        if (c.model() != null) return OptionalDouble.empty();
        if (c.mode() != BenchCase.Mode.INFERENCE) return OptionalDouble.empty();
        int col = column(c.batch());
        return col < 0 ? OptionalDouble.empty() : OptionalDouble.of(INFERENCE[c.network().ordinal()][4 + col]);
    }

    private static int column(int batch) {
        return batch == 1 ? 0 : batch == 128 ? 1 : -1;
    }
}
