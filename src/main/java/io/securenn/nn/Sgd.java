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
 *   <li>Master weights (masterBits P > 0, an extension): SGD updates a copy M = W·2^P with P more fractional bits
 *       (the step keeps P bits that the product's truncation would drop), and the forward pass uses W = M·2^-P
 *       by a local truncation. With 13 fractional bits a step below one ulp only moves W by stochastic rounding,
 *       whose noise then outweighs the step; the master copy keeps small steps exact in expectation and in
 *       variance. Local too; one more weight-sized tensor.</li>
 * </ul>
 */
public record Sgd(int lrShift, int logBatch, int momentumShift, int masterBits) {
    public Sgd {
        if (lrShift < 0 || lrShift > 30 || logBatch < 0 || logBatch > 20 || momentumShift < 0 || momentumShift > 10
                || masterBits < 0 || masterBits > 16) {
            throw new IllegalArgumentException("learning-rate shift " + lrShift + " / log2 batch " + logBatch
                    + " / momentum shift " + momentumShift + " / master bits " + masterBits + " out of range");
        }
        int base = momentumShift > 0 ? logBatch : lrShift + logBatch;
        if (masterBits > base) {
            throw io.securenn.SecureNnException.usage("--master-bits " + masterBits + " exceeds the " + base
                    + " bits the step drops beyond the product's 13 (" + (momentumShift > 0 ? "log2 batch" : "learning-rate shift + log2 batch") + ")");
        }
    }

    public Sgd(int lrShift, int logBatch) {
        this(lrShift, logBatch, 0, 0);
    }

    public Sgd(int lrShift, int logBatch, int momentumShift) {
        this(lrShift, logBatch, momentumShift, 0);
    }

    /**
     * Bits dropped beyond the product's own 13 when computing the layer's step: log2(1/α) + log2(B) for plain SGD,
     * log2(B) with momentum; masterBits fewer, which the master weights keep.
     */
    public int shift() {
        return (momentum() ? logBatch : lrShift + logBatch) - masterBits;
    }

    public boolean momentum() {
        return momentumShift > 0;
    }

    /**
     * Updates p by the step computed with {@link #shift()} (a product truncated by 13 + shift(), or a bias sum
     * truncated by shift()).
     */
    public <V> void apply(Backend<V> be, Parameter<V> p, V step) {
        if (momentum()) {
            Parameter<V> v = p.velocity();
            if (v == null) throw new IllegalStateException(p.name() + ": momentum without a velocity (Network.enableMomentum)");
            v.set(be.add(be.sub(v.value(), be.truncate(v.value(), momentumShift)), step));
            step = be.truncate(v.value(), lrShift);
        }
        if (masterBits == 0) {
            p.set(be.sub(p.value(), step));
            return;
        }
        Parameter<V> m = p.master();
        if (m == null) throw new IllegalStateException(p.name() + ": master bits without master weights (Network.enableMasterWeights)");
        m.set(be.sub(m.value(), step));
        p.set(be.truncate(m.value(), masterBits));
    }

    /** For a batch size that must be a power of two. */
    public static Sgd of(int lrShift, int batch) {
        return of(lrShift, batch, 0);
    }

    public static Sgd of(int lrShift, int batch, int momentumShift) {
        return of(lrShift, batch, momentumShift, 0);
    }

    public static Sgd of(int lrShift, int batch, int momentumShift, int masterBits) {
        if (batch <= 0 || Integer.bitCount(batch) != 1) {
            throw new IllegalArgumentException("batch size must be a power of two, got " + batch);
        }
        return new Sgd(lrShift, Integer.numberOfTrailingZeros(batch), momentumShift, masterBits);
    }
}
