package io.securenn.nn;

import io.securenn.ring.FixedPoint;
import io.securenn.tensor.ConvGeometry;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The local operations of the twin and the float reference agree exactly (no truncation involved). */
class BackendConsistencyTest {
    private final PlainFixedBackend twin = new PlainFixedBackend(1);
    private final FloatBackend fl = new FloatBackend();

    private interface Op {
        <V> V apply(Backend<V> be, V a, V b);
    }

    private void same(String what, long[] a, long[] b, Op op) {
        long[] t = op.apply(twin, twin.importData(a, Backend.Encoding.FIXED), twin.importData(b, Backend.Encoding.FIXED));
        double[] f = op.apply(fl, fl.importData(a, Backend.Encoding.FIXED), fl.importData(b, Backend.Encoding.FIXED));
        assertThat(FixedPoint.decode(t)).as(what).containsExactly(f);
    }

    @Test
    void localOperationsAgree() {
        Seeded s = Seeded.fromEnvOr(300);
        int b = 2, c = 3, h = 7, w = 6;
        long[] x = s.fixed(b * c * h * w, 5), y = s.fixed(b * c * h * w, 5);
        ConvGeometry g = new ConvGeometry(b, c, h, w, 3, 2, 1);
        long[] rows = s.fixed(g.rows() * g.cols(), 5), row = s.fixed(w, 5);
        same("add", x, y, new Op() { public <V> V apply(Backend<V> be, V p, V q) { return be.add(p, q); } });
        same("sub", x, y, new Op() { public <V> V apply(Backend<V> be, V p, V q) { return be.sub(p, q); } });
        same("neg", x, y, new Op() { public <V> V apply(Backend<V> be, V p, V q) { return be.neg(p); } });
        same("bias", x, row, new Op() { public <V> V apply(Backend<V> be, V p, V q) { return be.addRowVector(p, q, b * c * h, w); } });
        same("ε", x, y, new Op() { public <V> V apply(Backend<V> be, V p, V q) { return be.addPublicFixed(p, Loss.ASM_EPSILON); } });
        same("column sums", x, y, new Op() { public <V> V apply(Backend<V> be, V p, V q) { return be.sumColumns(p, b * c * h, w); } });
        same("row sums", x, y, new Op() { public <V> V apply(Backend<V> be, V p, V q) { return be.sumRows(p, b * c * h, w); } });
        same("im2col", x, y, new Op() { public <V> V apply(Backend<V> be, V p, V q) { return be.im2col(p, g); } });
        same("col2im", rows, y, new Op() { public <V> V apply(Backend<V> be, V p, V q) { return be.col2im(p, g); } });
        same("rows→NCHW", x, y, new Op() { public <V> V apply(Backend<V> be, V p, V q) { return be.rowsToNchw(p, b, h, w, c); } });
        same("NCHW→rows", x, y, new Op() { public <V> V apply(Backend<V> be, V p, V q) { return be.nchwToRows(p, b, h, w, c); } });
        int[] idx = {3, -1, 0, 0, 17};
        same("gather", x, y, new Op() { public <V> V apply(Backend<V> be, V p, V q) { return be.gather(p, idx); } });
        same("scatter", new long[] {1, 2, 3, 4, 5}, y, new Op() { public <V> V apply(Backend<V> be, V p, V q) { return be.scatterAdd(p, idx, 20); } });
        same("concat", x, y, new Op() { public <V> V apply(Backend<V> be, V p, V q) { return be.concat(List.of(p, q, p)); } });
        same("bits to fixed", new long[] {0, 1, 1, 0}, y, new Op() {
            public <V> V apply(Backend<V> be, V p, V q) { return be.integerToFixed(be.importData(new long[] {0, 1, 1, 0}, Backend.Encoding.INTEGER)); }
        });
    }

    @Test
    void scatterIsTheAdjointOfGather() {
        Seeded s = Seeded.fromEnvOr(301);
        int[] map = IndexMaps.poolWindows(2, 3, 6, 6, 3, 2); // overlapping windows
        long[] x = s.fixed(2 * 3 * 36, 3), u = s.fixed(map.length, 3);
        long lhs = 0, rhs = 0; // <gather(x), u> = <x, scatter(u)>
        long[] gx = twin.gather(x, map), su = twin.scatterAdd(u, map, x.length);
        for (int i = 0; i < gx.length; i++) lhs += gx[i] * u[i];
        for (int i = 0; i < x.length; i++) rhs += x[i] * su[i];
        assertThat(lhs).isEqualTo(rhs);
    }

    @Test
    void truncationCountersAreReportedAndReset() {
        PlainFixedBackend be = new PlainFixedBackend(2);
        be.takeCounters();
        be.truncate(new long[] {1 << 20, -(1 << 20), 5}, 7);
        be.matmul(Backend.Product.of(new long[] {FixedPoint.ONE, 0, 0, FixedPoint.ONE}, new long[] {3, 4, 5, 6}, 2, 2, 2));
        var c = be.takeCounters();
        assertThat(c.get("truncations").longValue()).isEqualTo(3 + 4);
        assertThat(c.get("truncation_failures").longValue()).isZero();
        assertThat(c.get("expected_truncation_failures").doubleValue()).isPositive().isLessThan(1e-10);
        assertThat(be.takeCounters().get("truncations").longValue()).isZero();
    }

    @Test
    void identityProductIsExactUpToTruncation() {
        // I·Y with I = 1.0 on the diagonal: each output is y·2^13 truncated by 13 → y exactly (no fraction dropped)
        long[] y = {3, -4, 5, 1 << 30};
        long[] r = twin.matmul(Backend.Product.of(new long[] {FixedPoint.ONE, 0, 0, FixedPoint.ONE}, y, 2, 2, 2));
        assertThat(r).containsExactly(y);
        long[] rt = twin.matmul(new Backend.Product<>(y, new long[] {FixedPoint.ONE, 0, 0, FixedPoint.ONE}, 2, 2, 2, true, false, 0));
        assertThat(rt).containsExactly(3, 5, -4, 1 << 30);
    }
}
