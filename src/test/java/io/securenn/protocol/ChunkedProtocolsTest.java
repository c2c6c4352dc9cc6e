package io.securenn.protocol;

import io.securenn.protocol.computemsb.ComputeMSB;
import io.securenn.protocol.division.Division;
import io.securenn.protocol.dmaxpool.DMaxPool;
import io.securenn.protocol.drelu.DReLU;
import io.securenn.protocol.matmul.MatMul;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.protocol.relu.ReLU;
import io.securenn.protocol.shareconvert.ShareConvert;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SeededCluster;
import io.securenn.runtime.DReluForm;
import io.securenn.runtime.SessionParams;
import io.securenn.tensor.MatrixOps;
import io.securenn.testutil.Check;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The protocols in sessions with tiny pieces ({@link #TINY}: 7 elements per chunk, 5 longs per frame), so that
 * every message spans many frames, Z_67 groups straddle frames, MatMul streams many blocks of rows and pieces
 * end mid-row: results equal the plaintext, bytes and rounds equal the formulas (pieces add neither), and the
 * streams stay in step. The same protocols run whole-vector in their own tests.
 */
class ChunkedProtocolsTest {
    /** 7 elements per chunk, 5 longs per frame (the default Z_67 wire format). */
    static final SessionParams TINY = SessionParams.defaults().withChunkElements(7).withFrameLongs(5);

    static long[] domainValues(Seeded s, int n, int bits) {
        long[] v = new long[n];
        long max = (1L << bits) - 1;
        for (int i = 0; i < n; i++) {
            v[i] = switch (i % 6) {
                case 0 -> 0;
                case 1 -> i % 12 == 1 ? max : -max;
                case 2 -> s.rnd.nextBoolean() ? 1 : -1;
                default -> s.rnd.nextLong() >> (64 - bits);
            };
        }
        return v;
    }

    static void assertCost(SeededCluster.Outcome<?> out, long bytes, int rounds) {
        assertThat(out.params().chunkElements()).isEqualTo(7);
        assertThat(out.params().frameLongs()).isEqualTo(5);
        assertThat(out.bytes()).isEqualTo(bytes);
        assertThat(out.rounds()).isEqualTo(rounds);
        assertThat(out.streamsInLockStep()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"PACKED7,MASKED", "BYTE,MASKED", "PACKED7,PAPER", "BYTE,PAPER"})
    void dreluAndReluInPieces(ZpWire wire, DReluForm form) {
        Seeded s = Seeded.fromEnvOr(3101 + wire.ordinal());
        int n = 53;
        long[] a = domainValues(s, n, DReLU.DOMAIN_BITS);
        long[][] sh = Shares2.split(a, s);
        var out = SeededCluster.run(TINY.withZpWire(wire).withDReluForm(form), s.seed,
                ctx -> ReLU.run(ctx, Shares2.mine(sh, ctx.id()), n));
        long[] relu = new long[n], bit = new long[n];
        for (int i = 0; i < n; i++) {
            bit[i] = a[i] >= 0 ? 1 : 0;
            relu[i] = a[i] >= 0 ? a[i] : 0;
        }
        Check.equal(s, bit, Shares2.add(out.of(0).drelu(), out.of(1).drelu()), i -> "DReLU(" + a[i] + ")");
        Check.equal(s, relu, Shares2.add(out.of(0).relu(), out.of(1).relu()), i -> "ReLU(" + a[i] + ")");
        assertCost(out, ReLU.bytes(out.params(), n), ReLU.rounds(out.params()));
        // P2 got Π_PC's vectors in pieces: ⌈53 / 7⌉ = 8 frames from P0 for each comparison (two in the paper form)
        assertThat(out.party(PartyContext.P2).from(0).size()).isGreaterThanOrEqualTo(form == DReluForm.PAPER ? 16 : 8);
    }

    @Test
    void shareConvertAndComputeMsbInPieces() {
        Seeded s = Seeded.fromEnvOr(3103);
        int n = 41;
        long[] a = domainValues(s, n, 63);
        for (int i = 0; i < n; i++) if (a[i] == -1L) a[i] = 0;   // ShareConvert's domain excludes 2^64 − 1
        long[][] sh = Shares2.split(a, s);
        var sc = SeededCluster.run(TINY, s.seed, ctx -> ShareConvert.run(ctx, Shares2.mine(sh, ctx.id()), n));
        assertThat(Shares2.addOdd(sc.of(0), sc.of(1))).containsExactly(a);
        assertCost(sc, ShareConvert.bytes(TINY.zpWire(), n), ShareConvert.rounds());

        long[][] odd = Shares2.splitOdd(a, s);
        var msb = SeededCluster.run(TINY, s.seed + 1, ctx -> ComputeMSB.run(ctx, Shares2.mine(odd, ctx.id()), n));
        long[] expect = new long[n];
        for (int i = 0; i < n; i++) expect[i] = a[i] >>> 63;
        Check.equal(s, expect, Shares2.add(msb.of(0), msb.of(1)), i -> "MSB(" + a[i] + ")");
        assertCost(msb, ComputeMSB.bytes(TINY.zpWire(), n), ComputeMSB.rounds());
    }

    @ParameterizedTest
    @EnumSource(MaxPool.Form.class)
    void maxPoolAndOneHotInPieces(MaxPool.Form form) {
        Seeded s = Seeded.fromEnvOr(3105 + form.ordinal());
        int count = 11, n = 4;
        long[] w = domainValues(s, count * n, MaxPool.DOMAIN_BITS);
        for (int i = 0; i < n; i++) w[i] = 5;   // a fully tied window: the first index wins
        long[][] sh = Shares2.split(w, s);
        var out = SeededCluster.run(TINY, s.seed, ctx -> MaxPool.run(ctx, Shares2.mine(sh, ctx.id()), count, n, form));
        long[] max = new long[count], arg = new long[count];
        for (int c = 0; c < count; c++) {
            int best = 0;
            for (int i = 1; i < n; i++) if (w[c * n + i] > w[c * n + best]) best = i;
            max[c] = w[c * n + best];
            arg[c] = best;
        }
        Check.equal(s, max, Shares2.add(out.of(0).max(), out.of(1).max()), c -> "max of window " + c);
        Check.equal(s, arg, Shares2.add(out.of(0).index(), out.of(1).index()), c -> "argmax of window " + c);
        assertCost(out, MaxPool.bytes(TINY, count, n, form), MaxPool.rounds(TINY, n, form));

        long[][] ind = Shares2.split(arg, s);
        var hot = SeededCluster.run(TINY, s.seed + 1, ctx -> DMaxPool.run(ctx, Shares2.mine(ind, ctx.id()), count, n));
        long[] oneHot = new long[count * n];
        for (int c = 0; c < count; c++) oneHot[c * n + (int) arg[c]] = 1;
        Check.equal(s, oneHot, Shares2.add(hot.of(0), hot.of(1)), i -> "one-hot entry " + i);
        assertCost(hot, DMaxPool.bytes(count, n), DMaxPool.rounds());
    }

    @Test
    void divisionInPieces() {
        Seeded s = Seeded.fromEnvOr(3107);
        int n = 17;
        long one = 8192;
        long[] x = new long[n], y = new long[n], q = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = 1 + s.rnd.nextLong(3 * one);
            x[i] = i == 0 ? 0 : i == 1 ? y[i] : s.rnd.nextLong(y[i] + 1);
            q[i] = Math.min((x[i] << 13) / y[i], (1L << Division.DEFAULT_QUOTIENT_BITS) - 1);
        }
        long[][] xs = Shares2.split(x, s), ys = Shares2.split(y, s);
        var out = SeededCluster.run(TINY, s.seed, ctx -> Division.run(ctx, Shares2.mine(xs, ctx.id()),
                Shares2.mine(ys, ctx.id()), n));
        Check.equal(s, q, Shares2.add(out.of(0), out.of(1)), i -> x[i] + "/" + y[i] + " (raw)");
        assertCost(out, Division.bytes(TINY, n, Division.DEFAULT_QUOTIENT_BITS),
                Division.rounds(TINY, Division.DEFAULT_QUOTIENT_BITS));
    }

    @Test
    void matMulStreamsRowBlocksOfPlainAndTransposedOperands() {
        Seeded s = Seeded.fromEnvOr(3109);
        int m = 13, n = 11, v = 3, mt = 9, nt = 17, vt = 4, len = 23;
        long[] x = s.longs(m * n), y = s.longs(n * v);
        long[] xt = s.longs(nt * mt), yt = s.longs(nt * vt);   // xt holds X^T (nt × mt)
        long[] a = s.longs(len), b = s.longs(len);
        long[][] xs = Shares2.split(x, s), ys = Shares2.split(y, s), xts = Shares2.split(xt, s),
                yts = Shares2.split(yt, s), as = Shares2.split(a, s), bs = Shares2.split(b, s);
        var out = SeededCluster.run(TINY, s.seed, ctx -> {
            int id = ctx.id();
            return MatMul.run(ctx, List.of(
                    MatMul.Spec.matrix(Shares2.mine(xs, id), Shares2.mine(ys, id), m, n, v),
                    MatMul.Spec.transposedX(Shares2.mine(xts, id), Shares2.mine(yts, id), mt, nt, vt),
                    MatMul.Spec.hadamard(Shares2.mine(as, id), Shares2.mine(bs, id), len)));
        });
        long[][] r0 = out.of(0), r1 = out.of(1);
        assertThat(Shares2.add(r0[0], r1[0])).as(s.msg("X·Y")).containsExactly(MatrixOps.multiplyNaive(x, y, m, n, v));
        long[] expectT = MatrixOps.multiplyNaive(MatrixOps.transpose(xt, nt, mt), yt, mt, nt, vt);
        assertThat(Shares2.add(r0[1], r1[1])).as(s.msg("X^T·Y")).containsExactly(expectT);
        assertThat(Shares2.add(r0[2], r1[2])).as(s.msg("a ⊙ b")).containsExactly(MatrixOps.hadamard(a, b));
        assertCost(out, MatMul.bytes(m, n, v) + MatMul.bytes(mt, nt, vt) + MatMul.hadamardBytes(len), MatMul.rounds());
        assertThat(out.party(PartyContext.P1).from(0).size()).isGreaterThan(2);   // F and E came in many frames
    }
}
