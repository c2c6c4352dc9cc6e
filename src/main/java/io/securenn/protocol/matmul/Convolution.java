package io.securenn.protocol.matmul;

import io.securenn.ring.FixedPoint;
import io.securenn.runtime.PartyContext;
import io.securenn.tensor.ConvGeometry;

/**
 * Secure 2-D convolution (spec §2.2): im2col is linear, so each party reshapes its own share locally and one
 * Π_MatMul multiplies the (B·p·q)×(C·f·f) patch matrix by the (C·f·f)×D weight matrix. The result is returned
 * in NCHW (B, D, p, q), truncated by 13 bits (fixed point).
 *
 * <p>Cost: one MatMul, (2·rows·cols + 2·cols·D + rows·D)·8 bytes with rows = B·p·q and cols = C·f·f
 * (the paper's (2m²f²i + 2f²oi + m²o)ℓ with m the output width), 1 round.
 */
public final class Convolution {
    private Convolution() {}

    public static long bytes(ConvGeometry g, int outChannels) {
        return MatMul.bytes(g.rows(), g.cols(), outChannels);
    }

    /**
     * @param x      share of the NCHW input (ignored at P2)
     * @param wMat   share of the (C·f·f)×D weight matrix (ignored at P2)
     * @return share of the NCHW output (B, D, p, q); empty at P2
     */
    public static long[] forward(PartyContext ctx, long[] x, ConvGeometry g, long[] wMat, int outChannels) {
        int rows = g.rows(), cols = g.cols();
        long[] patches = ctx.isHelper() ? null : g.im2col(x);
        long[] r = MatMul.product(ctx, patches, wMat, rows, cols, outChannels);
        if (ctx.isHelper()) return r;
        MatMul.truncate(ctx, r, FixedPoint.FRAC_BITS);
        return ConvGeometry.rowsToNchw(r, g.batch(), g.outHeight(), g.outWidth(), outChannels);
    }
}
