package io.securenn.nn;

/**
 * Plain SGD with learning rate 2^-lrShift and batch size 2^logBatch: W ← W − ΔW·2^-(lrShift + logBatch), applied
 * by truncation, to ΔW in the same truncation as its product (spec correction 9), to Δb as one local truncation.
 */
public record Sgd(int lrShift, int logBatch) {
    public Sgd {
        if (lrShift < 0 || lrShift > 30 || logBatch < 0 || logBatch > 20) {
            throw new IllegalArgumentException("learning-rate shift " + lrShift + " / log2 batch " + logBatch + " out of range");
        }
    }

    /** Bits dropped beyond the product's own 13: log2(1/α) + log2(B). */
    public int shift() {
        return lrShift + logBatch;
    }

    /** For a batch size that must be a power of two. */
    public static Sgd of(int lrShift, int batch) {
        if (batch <= 0 || Integer.bitCount(batch) != 1) {
            throw new IllegalArgumentException("batch size must be a power of two, got " + batch);
        }
        return new Sgd(lrShift, Integer.numberOfTrailingZeros(batch));
    }
}
