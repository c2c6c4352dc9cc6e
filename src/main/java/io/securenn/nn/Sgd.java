package io.securenn.nn;

/**
 * SGD with learning rate α = 2^-lrShift and batch size 2^logBatch, optionally with heavy-ball momentum
 * μ = 1 − 2^-momentumShift (momentumShift 0: none). Everything is applied by truncation, so in a secure run it is
 * local: no communication beyond the gradient's own product.
 * <ul>
 *   <li>Plain: W ← W − ΔW·2^-(lrShift + logBatch), the scaling folded into the product's own truncation (spec
 *       correction 9); Δb by one local truncation.</li>
 *   <li>Momentum (PyTorch's form without dampening): g = ΔW·2^-logBatch (the mean gradient, in the product's
 *       truncation), v ← v − v·2^-momentumShift + g, W ← W − v·2^-lrShift. The step settles at α·g/(1 − μ), so
 *       momentum shift m with learning-rate shift K moves about as far per step as plain SGD at 2^-(K − m), with
 *       the gradient noise averaged over ~2^m batches. v is kept per parameter ({@link Parameter#velocity()}).</li>
 * </ul>
 */
public record Sgd(int lrShift, int logBatch, int momentumShift) {
    public Sgd {
        if (lrShift < 0 || lrShift > 30 || logBatch < 0 || logBatch > 20 || momentumShift < 0 || momentumShift > 10) {
            throw new IllegalArgumentException("learning-rate shift " + lrShift + " / log2 batch " + logBatch
                    + " / momentum shift " + momentumShift + " out of range");
        }
    }

    public Sgd(int lrShift, int logBatch) {
        this(lrShift, logBatch, 0);
    }

    /** Bits dropped beyond the product's own 13 when computing the layer's step: log2(1/α) + log2(B) for plain SGD. */
    public int shift() {
        return momentum() ? logBatch : lrShift + logBatch;
    }

    public boolean momentum() {
        return momentumShift > 0;
    }

    /**
     * Updates p by the step computed with {@link #shift()} (a product truncated by 13 + shift(), or a bias sum
     * truncated by shift()).
     */
    public <V> void apply(Backend<V> be, Parameter<V> p, V step) {
        if (!momentum()) {
            p.set(be.sub(p.value(), step));
            return;
        }
        Parameter<V> v = p.velocity();
        if (v == null) throw new IllegalStateException(p.name() + ": momentum without a velocity (Network.enableMomentum)");
        v.set(be.add(be.sub(v.value(), be.truncate(v.value(), momentumShift)), step));
        p.set(be.sub(p.value(), be.truncate(v.value(), lrShift)));
    }

    /** For a batch size that must be a power of two. */
    public static Sgd of(int lrShift, int batch) {
        return of(lrShift, batch, 0);
    }

    public static Sgd of(int lrShift, int batch, int momentumShift) {
        if (batch <= 0 || Integer.bitCount(batch) != 1) {
            throw new IllegalArgumentException("batch size must be a power of two, got " + batch);
        }
        return new Sgd(lrShift, Integer.numberOfTrailingZeros(batch), momentumShift);
    }
}
