package io.securenn.nn;

import io.securenn.SecureNnException;

import java.util.Locale;

/**
 * Output layers with their gradient δ at the logits z (batch × classes); y is the one-hot label in FIXED
 * (1.0 = 2^13).
 */
public enum Loss {
    /**
     * The paper's ASM (spec correction 10): ASM_i = ReLU(z_i) / (Σ_j ReLU(z_j) + ε), ε = 2^-13 added publicly,
     * the division being Π_Div (floor, 14 quotient bits); δ = ASM − y, not masked by ReLU′(z).
     * When every ReLU(z_j) of an example is 0 the divisor is ε alone and every ASM_i is 0/ε = 0, so δ = −y: the
     * update raises the true class's logit, which is how training leaves that state.
     */
    ASM,
    /** Squared loss on the logits, ½·Σ_i (z_i − y_i)²: δ = z − y. No division, no DReLU. */
    SQUARE,
    /**
     * Squared hinge on the logits (one-vs-rest, an extension of ours): ½·Σ_i ReLU(z_i)² over the wrong classes plus
     * ½·ReLU(1 − z_y)² for the true one, so an example whose logits already clear the margins (true ≥ 1, others
     * ≤ 0) adds nothing, and the gradient goes to the examples still misranked. With d = z − y,
     * δ = ReLU(d) + y ⊙ (d − 2·ReLU(d)) (y = 0: ReLU(d); y = 1: min(d, 0)): one ReLU and one product by the
     * one-hot y (exact up to the product's truncation) on batch × classes values.
     */
    HINGE;

    public static final double ASM_EPSILON = 0x1p-13;

    /** δ at the logits. */
    public <V> V delta(Backend<V> be, V z, V yFixed, int batch, int classes) {
        return switch (this) {
            case ASM -> be.sub(asm(be, z, batch, classes), yFixed);
            case SQUARE -> be.sub(z, yFixed);
            case HINGE -> {
                V d = be.sub(z, yFixed);
                V r = be.relu(d).value();
                yield be.add(r, be.mulFixed(yFixed, be.sub(d, be.add(r, r))));
            }
        };
    }

    /** ASM(z) row by row (batch × classes). */
    public static <V> V asm(Backend<V> be, V z, int batch, int classes) {
        V r = be.relu(z).value();
        V sums = be.addPublicFixed(be.sumRows(r, batch, classes), ASM_EPSILON);
        return be.divide(r, be.gather(sums, IndexMaps.repeatEach(batch, classes)));
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Loss parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "asm" -> ASM;
            case "square", "squared", "mse" -> SQUARE;
            case "hinge", "squared-hinge" -> HINGE;
            default -> throw SecureNnException.usage("unknown loss '" + s + "' (expected asm, square or hinge)");
        };
    }
}
