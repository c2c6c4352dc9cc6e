package io.securenn.nn;

import io.securenn.ring.FixedPoint;
import io.securenn.tensor.ConvGeometry;
import io.securenn.tensor.MatrixOps;
import io.securenn.tensor.VectorOps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The plaintext fixed-point twin: the same encodings and ring arithmetic as the secure run, with every
 * truncation done as shares do it ({@link ShareTruncationSimulator}) and ReLU, MaxPool, DMP and Division computed
 * exactly as the protocols define them ({@link PlainProtocols}). Handles are plain {@code long[]} vectors.
 *
 * <p>Matrix products are exact ring products ({@link MatrixOps#multiply}), split by rows over {@code threads}
 * worker threads; the truncation stream is consumed sequentially afterwards, so results do not depend on the
 * thread count.
 */
public final class PlainFixedBackend implements Backend<long[]>, AutoCloseable {
    private final ShareTruncationSimulator trunc;
    private final int threads;
    private final ExecutorService pool;

    public PlainFixedBackend(long truncationSeed) {
        this(truncationSeed, 1);
    }

    public PlainFixedBackend(long truncationSeed, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1");
        this.trunc = new ShareTruncationSimulator(truncationSeed);
        this.threads = threads;
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "twin-matmul");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    public ShareTruncationSimulator truncation() {
        return trunc;
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }

    // ---- entry and exit

    @Override
    public ShareCodec<long[]> shareCodec() {
        return new ShareCodec<>() {
            @Override
            public long[] export(long[] v) {
                return v;
            }

            @Override
            public long[] load(long[] stored, int length) {
                return stored;
            }
        };
    }

    @Override
    public long[] importData(long[] values, Encoding encoding) {
        return values.clone();
    }

    @Override
    public long[] importModel(long[] fixed) {
        return fixed.clone();
    }

    @Override
    public long[] reveal(long[] v, Encoding encoding) {
        return v.clone();
    }

    @Override
    public int length(long[] v) {
        return v.length;
    }

    // ---- local linear

    @Override
    public long[] add(long[] a, long[] b) {
        sameLength(a, b);
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] + b[i];
        return r;
    }

    @Override
    public long[] sub(long[] a, long[] b) {
        sameLength(a, b);
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] - b[i];
        return r;
    }

    @Override
    public long[] neg(long[] a) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = -a[i];
        return r;
    }

    @Override
    public long[] addRowVector(long[] matrix, long[] row, int rows, int cols) {
        return VectorOps.addRowVector(matrix, row, rows, cols);
    }

    @Override
    public long[] addPublicFixed(long[] a, double c) {
        long e = FixedPoint.encode(c);
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] + e;
        return r;
    }

    @Override
    public long[] integerToFixed(long[] a) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] << FixedPoint.FRAC_BITS;
        return r;
    }

    @Override
    public long[] mulPublic(long[] a, double[] c) {
        PublicScale.check(a.length, c);
        int s = PublicScale.bits(c);
        long[] r = PublicScale.multiply(a, PublicScale.encode(c, s));
        trunc.truncateInPlace(r, s);
        return r;
    }

    @Override
    public long[] truncate(long[] a, int k) {
        long[] r = a.clone();
        trunc.truncateInPlace(r, k);
        return r;
    }

    @Override
    public long[] sumColumns(long[] matrix, int rows, int cols) {
        return VectorOps.sumColumns(matrix, rows, cols);
    }

    @Override
    public long[] sumRows(long[] matrix, int rows, int cols) {
        return VectorOps.sumRows(matrix, rows, cols);
    }

    @Override
    public long[] gather(long[] a, int[] index) {
        return VectorOps.gather(a, index);
    }

    @Override
    public long[] scatterAdd(long[] a, int[] index, int outLength) {
        return VectorOps.scatterAdd(a, index, outLength);
    }

    @Override
    public long[] concat(List<long[]> parts) {
        return VectorOps.concat(parts);
    }

    @Override
    public long[] im2col(long[] x, ConvGeometry g) {
        return g.im2col(x);
    }

    @Override
    public long[] col2im(long[] cols, ConvGeometry g) {
        return g.col2im(cols);
    }

    @Override
    public long[] rowsToNchw(long[] rows, int batch, int p, int q, int d) {
        checkLength(rows, (long) batch * p * q * d);
        return ConvGeometry.rowsToNchw(rows, batch, p, q, d);
    }

    @Override
    public long[] nchwToRows(long[] nchw, int batch, int p, int q, int d) {
        checkLength(nchw, (long) batch * p * q * d);
        return ConvGeometry.nchwToRows(nchw, batch, p, q, d);
    }

    // ---- "interactive" operations, computed as the protocols define them

    @Override
    public List<long[]> matmul(List<Product<long[]>> products) {
        List<long[]> out = new ArrayList<>(products.size());
        for (Product<long[]> p : products) {
            long[] x = p.transposeX() ? transposed(p.x(), p.n(), p.m()) : checked(p.x(), (long) p.m() * p.n());
            long[] y = p.transposeY() ? transposed(p.y(), p.v(), p.n()) : checked(p.y(), (long) p.n() * p.v());
            long[] z = multiply(x, y, p.m(), p.n(), p.v());
            trunc.truncateInPlace(z, FixedPoint.FRAC_BITS + p.extraShift());
            out.add(z);
        }
        return out;
    }

    @Override
    public long[] mulFixed(long[] a, long[] b) {
        long[] r = MatrixOps.hadamard(a, b);
        trunc.truncateInPlace(r, FixedPoint.FRAC_BITS);
        return r;
    }

    @Override
    public long[] mulBits(long[] bits, long[] x) {
        return MatrixOps.hadamard(bits, x);
    }

    @Override
    public ReluResult<long[]> relu(long[] x) {
        long[] bits = PlainProtocols.drelu(x);
        return new ReluResult<>(MatrixOps.hadamard(bits, x), bits);
    }

    @Override
    public long[] drelu(long[] x) {
        return PlainProtocols.drelu(x);
    }

    @Override
    public MaxResult<long[]> max(long[] x, int count, int n) {
        long[] m = new long[count], ind = new long[count];
        PlainProtocols.max(x, count, n, m, ind);
        return new MaxResult<>(m, ind);
    }

    @Override
    public long[] oneHot(long[] index, int count, int n) {
        checkLength(index, count);
        return PlainProtocols.oneHot(index, n);
    }

    @Override
    public long[] divide(long[] x, long[] y) {
        sameLength(x, y);
        long[] q = new long[x.length];
        for (int i = 0; i < x.length; i++) q[i] = PlainProtocols.divide(x[i], y[i]);
        return q;
    }

    @Override
    public Map<String, Number> takeCounters() {
        Map<String, Number> m = new LinkedHashMap<>();
        m.put("truncations", trunc.truncations());
        m.put("truncation_failures", trunc.failures());
        m.put("expected_truncation_failures", trunc.expectedFailures());
        trunc.resetCounters();
        return m;
    }

    // ---- helpers

    private long[] multiply(long[] a, long[] b, int m, int n, int v) {
        // split by rows only when there is enough work to pay for the hand-off
        if (pool == null || m < 2 * threads || (long) m * n * v < 1L << 20) return MatrixOps.multiply(a, b, m, n, v);
        long[] c = new long[m * v];
        int chunk = (m + threads - 1) / threads;
        List<Future<?>> parts = new ArrayList<>();
        for (int r0 = 0; r0 < m; r0 += chunk) {
            final int lo = r0, hi = Math.min(m, r0 + chunk);
            parts.add(pool.submit(() -> {
                long[] part = MatrixOps.multiply(Arrays.copyOfRange(a, lo * n, hi * n), b, hi - lo, n, v);
                System.arraycopy(part, 0, c, lo * v, part.length);
            }));
        }
        try {
            for (Future<?> f : parts) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a matrix product", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("matrix product failed", e.getCause());
        }
        return c;
    }

    private static long[] transposed(long[] a, int rows, int cols) {
        return MatrixOps.transpose(checked(a, (long) rows * cols), rows, cols);
    }

    private static long[] checked(long[] a, long n) {
        checkLength(a, n);
        return a;
    }

    private static void checkLength(long[] a, long n) {
        if (a.length != n) throw new IllegalArgumentException("operand has " + a.length + " elements, expected " + n);
    }

    private static void sameLength(long[] a, long[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("length mismatch " + a.length + " vs " + b.length);
    }
}
