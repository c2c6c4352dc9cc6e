package io.securenn.protocol.matmul;

import io.securenn.protocol.sharing.Sharing;
import io.securenn.runtime.LocalCluster;
import io.securenn.tensor.ConvGeometry;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class Conv2dTest {

    /** Direct convolution over the padded input, independent of im2col: the plaintext reference. */
    static long[] directConv(long[] x, long[] wMat, ConvGeometry g, int d) {
        int p = g.outHeight(), q = g.outWidth(), f = g.kernel();
        long[] out = new long[g.batch() * d * p * q];
        for (int b = 0; b < g.batch(); b++)
            for (int o = 0; o < d; o++)
                for (int y = 0; y < p; y++)
                    for (int xx = 0; xx < q; xx++) {
                        long s = 0;
                        for (int c = 0; c < g.channels(); c++)
                            for (int ky = 0; ky < f; ky++)
                                for (int kx = 0; kx < f; kx++) {
                                    int iy = y * g.stride() - g.padding() + ky, ix = xx * g.stride() - g.padding() + kx;
                                    if (iy < 0 || ix < 0 || iy >= g.height() || ix >= g.width()) continue;
                                    long xv = x[((b * g.channels() + c) * g.height() + iy) * g.width() + ix];
                                    long wv = wMat[((c * f + ky) * f + kx) * d + o];
                                    s += xv * wv;
                                }
                        out[((b * d + o) * p + y) * q + xx] = s;
                    }
        return out;
    }

    @ParameterizedTest
    @CsvSource({
            "1,1,8,8,3,1,0,4", "2,3,7,6,3,2,1,5", "1,1,28,28,5,2,2,5", "2,2,9,9,5,1,0,3", "1,16,8,8,5,1,0,4",
            "2,6,9,9,1,2,0,3", "1,4,6,6,1,1,0,2", "1,3,11,11,3,2,1,4"})
    void secureConvolutionMatchesDirectConvolution(int b, int c, int h, int w, int f, int s, int pad, int d) {
        Seeded sd = Seeded.fromEnvOr(31L * h + 7L * c + d + s);
        ConvGeometry g = new ConvGeometry(b, c, h, w, f, s, pad);
        long[] x = sd.fixed(g.inputSize(), 4), wm = sd.fixed(g.cols() * d, 1);
        x[0] = 8192; x[1] = -8192; x[2] = 1; x[3] = -1; x[4] = 0;
        var res = LocalCluster.run(ctx -> {
            long[] xs = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? x : null, x.length);
            long[] ws = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? wm : null, wm.length);
            long[] y = Convolution.forward(ctx, xs, g, ws, d);
            String scope = Convolution.opensInput(g) ? "Convolution" : "MatMul";
            long bytes = ctx.ledger().get(scope).bytesSent();
            long rounds = ctx.ledger().get(scope).rounds();
            return new Object[] {Sharing.reveal(ctx, y, Sharing.Recipient.P0), bytes, rounds};
        });
        long[] raw = directConv(x, wm, g, d);
        long[] got = (long[]) res.of(0)[0];
        for (int i = 0; i < raw.length; i++) {
            assertThat(got[i] - Math.floorDiv(raw[i], 8192)).as(sd.msg("output " + i)).isBetween(0L, 1L);
        }
        long total = 0;
        for (int p = 0; p < 3; p++) total += (long) res.of(p)[1];
        assertThat(total).isEqualTo(Convolution.bytes(g, d));
        assertThat((long) res.of(0)[2]).isEqualTo(1);
        if (Convolution.opensInput(g)) {
            assertThat(Convolution.bytes(g, d)).as("the masked input is smaller than the patches")
                    .isLessThan(MatMul.bytes(g.rows(), g.cols(), d));
        } else {
            assertThat(Convolution.bytes(g, d)).isEqualTo(MatMul.bytes(g.rows(), g.cols(), d));
        }
    }

    /**
     * Before truncation the product is exact: the shares of both forms add up to the ring product im2col(X)·W
     * bit for bit (so the results differ from the plaintext twin's only by the local truncation, as before), with
     * tiles of a few rows (small chunks) and with one tile, over random and edge values (ring extremes).
     */
    @ParameterizedTest
    @CsvSource({"2,3,7,6,3,2,1,5,7", "1,4,9,9,3,1,1,6,100000", "2,6,9,9,1,2,0,3,5", "1,2,5,5,5,1,2,3,1"})
    void theRingProductIsExactInBothForms(int b, int c, int h, int w, int f, int s, int pad, int d, int chunk) {
        Seeded sd = Seeded.fromEnvOr(977L * h + 13L * c + d + s + chunk);
        ConvGeometry g = new ConvGeometry(b, c, h, w, f, s, pad);
        long[] x = sd.longs(g.inputSize()), wm = sd.longs(g.cols() * d);
        x[0] = Long.MIN_VALUE; x[1] = Long.MAX_VALUE; x[2] = -1; wm[0] = Long.MIN_VALUE; wm[1] = -1;
        var session = io.securenn.runtime.SessionParams.defaults().withChunkElements(chunk);
        var res = LocalCluster.run(session, ctx -> {
            long[] xs = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? x : null, x.length);
            long[] ws = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? wm : null, wm.length);
            long[] y = Convolution.product(ctx, xs, g, ws, d);
            return Sharing.reveal(ctx, y, Sharing.Recipient.P0);
        });
        long[] want = io.securenn.tensor.MatrixOps.multiplyNaive(g.im2col(x), wm, g.rows(), g.cols(), d);
        assertThat(res.of(0)).as(sd.msg("ring product")).containsExactly(want);
    }
}
