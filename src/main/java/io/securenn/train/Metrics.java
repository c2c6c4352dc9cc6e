package io.securenn.train;

import io.securenn.nn.Backend;

import java.util.List;

/**
 * Secure-friendly aggregates: everything stays inside the backend until a per-epoch (or progress) reveal of
 * sums. Accuracy compares argmax(z) (Π_MP's index, ties to the earlier class) with the label index d = ind − y:
 * DReLU(d) + DReLU(−d) is 2 when they are equal and 1 otherwise, so summing the 2·B bits gives B + correct.
 */
final class Metrics {
    private Metrics() {}

    /** Σ δ² over the batch (FIXED, one element). */
    static <V> V squaredSum(Backend<V> be, V delta) {
        V sq = be.mulFixed(delta, delta);
        return be.sumRows(sq, 1, be.length(sq));
    }

    /** B + (number of correct predictions), INTEGER, one element. */
    static <V> V correctPlusBatch(Backend<V> be, V z, V labelIndex, int batch, int classes) {
        V predicted = be.argmax(z, batch, classes);
        V d = be.sub(predicted, labelIndex);
        V bits = be.drelu(be.concat(List.of(d, be.neg(d))));
        return be.sumRows(bits, 1, 2 * batch);
    }

    static <V> V accumulate(Backend<V> be, V acc, V x) {
        return acc == null ? x : be.add(acc, x);
    }
}
