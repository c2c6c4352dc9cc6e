package io.securenn.model;

import io.securenn.random.Prg;
import io.securenn.ring.FixedPoint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Initial weights, drawn by the model owner from a seed, deterministically (same seed, same weights in the twin,
 * the float reference and a secure run), then encoded in fixed point:
 * <ul>
 *   <li>layers followed by a ReLU: He-uniform, U(−√(6/fan_in), +√(6/fan_in)) with fan_in = inputs (FC) or C·f·f
 *       (Conv);</li>
 *   <li>the output layer (the logits z): 0, so training starts from z = 0 (loss ½ per example for the square
 *       loss). With a scaled-uniform output layer the max-pooled CNNs start with logits of magnitude 2–3 and
 *       the square loss first spends its steps shrinking them (B reached 23 % instead of 70 % after 8192
 *       images at lr 2^-6, measured in float64); the hidden layers get gradients from the second step on;</li>
 *   <li>biases: 0.</li>
 * </ul>
 * The stream is AES-128-CTR ({@link Prg}) keyed by the first 16 bytes of SHA-256("securenn/init/v1:" + seed);
 * each weight takes one 64-bit draw u, mapped to [−limit, limit) as (2·(u >>> 11)·2^-53 − 1)·limit.
 */
public final class Init {
    private Init() {}

    public static ModelWeights draw(Architecture arch, long seed) {
        Prg prg = new Prg(key("securenn/init/v1:" + seed), new byte[16]);
        List<long[]> out = new ArrayList<>();
        for (Architecture.ParamShape p : arch.parameterShapes()) {
            long[] t = new long[p.size()];
            if (!p.isBias() && !p.lastLayer()) {
                double limit = Math.sqrt(6.0 / p.fanIn());
                long[] u = prg.longs(t.length);
                for (int i = 0; i < t.length; i++) {
                    double unit = (u[i] >>> 11) * 0x1p-53;
                    t[i] = FixedPoint.encode((2 * unit - 1) * limit);
                }
            }
            out.add(t);
        }
        return new ModelWeights(arch, out);
    }

    /** 16 bytes of SHA-256 of a label: the key of a derived stream. */
    static byte[] key(String label) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(h, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
