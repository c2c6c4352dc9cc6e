package io.securenn.protocol.matmul;

import io.securenn.protocol.sharing.Sharing;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.PartyContext;
import io.securenn.tensor.MatrixOps;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MatMulTest {

    @ParameterizedTest
    @CsvSource({"1,1,1", "1,100,1", "3,5,7", "16,33,9", "1,500,100", "64,64,64"})
    void ringProductIsExactAndCostsTheFormula(int m, int n, int v) {
        Seeded s = Seeded.fromEnvOr(100 + m * 31L + n * 7L + v);
        long[] x = s.longs(m * n), y = s.longs(n * v);
        var res = LocalCluster.run(ctx -> {
            long[] xs = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? x : null, m * n);
            long[] ys = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? y : null, n * v);
            var before = ctx.stats().snapshot();
            long[] w = MatMul.product(ctx, xs, ys, m, n, v);
            var cost = ctx.stats().snapshot().minus(before);
            long[] out = Sharing.reveal(ctx, w, Sharing.Recipient.P0);
            return new Object[] {out, cost};
        });
        long[] expect = MatrixOps.multiplyNaive(x, y, m, n, v);
        assertThat((long[]) res.of(0)[0]).as(s.msg("matmul")).containsExactly(expect);
        long total = 0;
        int rounds = 0;
        for (int p = 0; p < 3; p++) {
            var c = (io.securenn.transport.CommStats.Snapshot) res.of(p)[1];
            total += c.bytesSent();
            rounds = Math.max(rounds, c.clock());
        }
        assertThat(total).isEqualTo(MatMul.bytes(m, n, v));
        assertThat(((io.securenn.transport.CommStats.Snapshot) res.of(2)[1]).bytesSent()).isEqualTo(8L * m * v);
        assertThat(rounds).isEqualTo(1);
    }

    @Test
    void fixedPointProductWithinOneUlp() {
        Seeded s = Seeded.fromEnvOr(7);
        int m = 20, n = 30, v = 10;
        long[] x = s.fixed(m * n, 8), y = s.fixed(n * v, 8);
        // edge values: 0, ±1, ±2^-13
        long[] edges = {0, 8192, -8192, 1, -1};
        System.arraycopy(edges, 0, x, 0, edges.length);
        System.arraycopy(edges, 0, y, 0, edges.length);
        var res = LocalCluster.run(ctx -> {
            long[] xs = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? x : null, m * n);
            long[] ys = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? y : null, n * v);
            long[] w = MatMul.productFixed(ctx, xs, ys, m, n, v);
            return Sharing.reveal(ctx, w, Sharing.Recipient.BOTH);
        });
        long[] raw = MatrixOps.multiplyNaive(x, y, m, n, v);
        long[] got = res.of(0);
        assertThat(res.of(1)).containsExactly(got);
        for (int i = 0; i < raw.length; i++) {
            assertThat(got[i] - Math.floorDiv(raw[i], 8192)).as(s.msg("element " + i)).isBetween(0L, 1L);
        }
    }

    @Test
    void streamsStayInLockStep() {
        var res = LocalCluster.run(ctx -> {
            long[] a = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? new long[] {1, 2, 3} : null, 3);
            MatMul.hadamard(ctx, a, a, 3);
            return ctx.isHelper() ? new long[] {ctx.pair(0).position(), ctx.pair(1).position()}
                    : new long[] {ctx.common().position(), ctx.pair(2).position()};
        });
        assertThat(res.of(0)[0]).isEqualTo(res.of(1)[0]);   // P0–P1 stream
        assertThat(res.of(0)[1]).isEqualTo(res.of(2)[0]);   // P0–P2 stream
        assertThat(res.of(1)[1]).isEqualTo(res.of(2)[1]);   // P1–P2 stream
        assertThat(PartyContext.P2).isEqualTo(2);
    }
}
