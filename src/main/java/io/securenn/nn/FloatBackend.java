package io.securenn.nn;

import io.securenn.ring.FixedPoint;
import io.securenn.tensor.ConvGeometry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The float64 reference: the same operations on real numbers, so the same layer code gives the computation the
 * fixed-point twin and the secure run approximate. Truncation by k is exact division by 2^k; DReLU(0) = 1 and
 * MaxPool ties keep the earlier index, as in the protocols; division is real division.
 * FIXED inputs are decoded from their fixed-point encodings (so both start from the same quantised values);
 * INTEGER values are kept as they are.
 */
public final class FloatBackend implements Backend<double[]> {
    /** Index maps of the layout reshapes, computed once per geometry by running the ring version on indices. */
    private final Map<Object, int[]> maps = new ConcurrentHashMap<>();

    @Override
    public double[] importData(long[] values, Encoding encoding) {
        return decode(values, encoding);
    }

    @Override
    public double[] importModel(long[] fixed) {
        return decode(fixed, Encoding.FIXED);
    }

    @Override
    public long[] reveal(double[] v, Encoding encoding) {
        long[] r = new long[v.length];
        double scale = encoding == Encoding.FIXED ? FixedPoint.ONE : 1;
        for (int i = 0; i < v.length; i++) r[i] = Math.round(v[i] * scale);
        return r;
    }

    private static double[] decode(long[] values, Encoding encoding) {
        double[] r = new double[values.length];
        double scale = encoding == Encoding.FIXED ? 1.0 / FixedPoint.ONE : 1;
        for (int i = 0; i < values.length; i++) r[i] = values[i] * scale;
        return r;
    }

    @Override
    public int length(double[] v) {
        return v.length;
    }

    @Override
    public double[] add(double[] a, double[] b) {
        sameLength(a, b);
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] + b[i];
        return r;
    }

    @Override
    public double[] sub(double[] a, double[] b) {
        sameLength(a, b);
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] - b[i];
        return r;
    }

    @Override
    public double[] neg(double[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = -a[i];
        return r;
    }

    @Override
    public double[] addRowVector(double[] matrix, double[] row, int rows, int cols) {
        checkLength(matrix, (long) rows * cols);
        checkLength(row, cols);
        double[] r = new double[matrix.length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) r[i * cols + j] = matrix[i * cols + j] + row[j];
        return r;
    }

    @Override
    public double[] addPublicFixed(double[] a, double c) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] + c;
        return r;
    }

    @Override
    public double[] integerToFixed(double[] a) {
        return a.clone();
    }

    @Override
    public double[] mulPublic(double[] a, double[] c) {
        PublicScale.check(a.length, c);
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] * c[i];
        return r;
    }

    @Override
    public double[] truncate(double[] a, int k) {
        double s = Math.scalb(1.0, -k);
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] * s;
        return r;
    }

    @Override
    public double[] sumColumns(double[] matrix, int rows, int cols) {
        checkLength(matrix, (long) rows * cols);
        double[] r = new double[cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) r[j] += matrix[i * cols + j];
        return r;
    }

    @Override
    public double[] sumRows(double[] matrix, int rows, int cols) {
        checkLength(matrix, (long) rows * cols);
        double[] r = new double[rows];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) r[i] += matrix[i * cols + j];
        return r;
    }

    @Override
    public double[] gather(double[] a, int[] index) {
        double[] r = new double[index.length];
        for (int i = 0; i < index.length; i++) r[i] = index[i] < 0 ? 0 : a[index[i]];
        return r;
    }

    @Override
    public double[] scatterAdd(double[] a, int[] index, int outLength) {
        checkLength(a, index.length);
        double[] r = new double[outLength];
        for (int i = 0; i < index.length; i++) if (index[i] >= 0) r[index[i]] += a[i];
        return r;
    }

    @Override
    public double[] concat(List<double[]> parts) {
        int n = 0;
        for (double[] p : parts) n += p.length;
        double[] r = new double[n];
        int off = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, r, off, p.length);
            off += p.length;
        }
        return r;
    }

    @Override
    public double[] im2col(double[] x, ConvGeometry g) {
        checkLength(x, g.inputSize());
        return gather(x, maps.computeIfAbsent(List.of("im2col", g), k -> IndexMaps.of(g.inputSize(), g::im2col)));
    }

    @Override
    public double[] col2im(double[] cols, ConvGeometry g) {
        int[] map = maps.computeIfAbsent(List.of("im2col", g), k -> IndexMaps.of(g.inputSize(), g::im2col));
        return scatterAdd(cols, map, g.inputSize());
    }

    @Override
    public double[] rowsToNchw(double[] rows, int batch, int p, int q, int d) {
        checkLength(rows, (long) batch * p * q * d);
        return gather(rows, maps.computeIfAbsent(List.of("rows2nchw", batch, p, q, d),
                k -> IndexMaps.of(rows.length, v -> ConvGeometry.rowsToNchw(v, batch, p, q, d))));
    }

    @Override
    public double[] nchwToRows(double[] nchw, int batch, int p, int q, int d) {
        checkLength(nchw, (long) batch * p * q * d);
        return gather(nchw, maps.computeIfAbsent(List.of("nchw2rows", batch, p, q, d),
                k -> IndexMaps.of(nchw.length, v -> ConvGeometry.nchwToRows(v, batch, p, q, d))));
    }

    @Override
    public List<double[]> matmul(List<Product<double[]>> products) {
        List<double[]> out = new ArrayList<>(products.size());
        for (Product<double[]> p : products) {
            int m = p.m(), n = p.n(), v = p.v();
            double[] x = p.transposeX() ? transpose(p.x(), n, m) : checked(p.x(), (long) m * n);
            double[] y = p.transposeY() ? transpose(p.y(), v, n) : checked(p.y(), (long) n * v);
            double[] z = new double[m * v];
            for (int i = 0; i < m; i++)
                for (int k = 0; k < n; k++) {
                    double a = x[i * n + k];
                    if (a == 0) continue;
                    int yk = k * v, zi = i * v;
                    for (int j = 0; j < v; j++) z[zi + j] += a * y[yk + j];
                }
            out.add(p.extraShift() == 0 ? z : truncate(z, p.extraShift()));
        }
        return out;
    }

    @Override
    public double[] mulFixed(double[] a, double[] b) {
        return hadamard(a, b);
    }

    @Override
    public double[] mulBits(double[] bits, double[] x) {
        return hadamard(bits, x);
    }

    @Override
    public ReluResult<double[]> relu(double[] x) {
        double[] bits = drelu(x), value = new double[x.length];
        for (int i = 0; i < x.length; i++) value[i] = bits[i] != 0 ? x[i] : 0;
        return new ReluResult<>(value, bits);
    }

    @Override
    public double[] drelu(double[] x) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) r[i] = x[i] >= 0 ? 1 : 0;
        return r;
    }

    @Override
    public MaxResult<double[]> max(double[] x, int count, int n) {
        checkLength(x, (long) count * n);
        double[] m = new double[count], ind = new double[count];
        for (int w = 0; w < count; w++) {
            int best = 0;
            for (int i = 1; i < n; i++) if (x[w * n + i] > x[w * n + best]) best = i;
            m[w] = x[w * n + best];
            ind[w] = best;
        }
        return new MaxResult<>(m, ind);
    }

    @Override
    public double[] oneHot(double[] index, int count, int n) {
        checkLength(index, count);
        double[] r = new double[count * n];
        for (int w = 0; w < count; w++) r[w * n + (int) index[w]] = 1;
        return r;
    }

    @Override
    public double[] divide(double[] x, double[] y) {
        sameLength(x, y);
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) r[i] = x[i] / y[i];
        return r;
    }

    private static double[] hadamard(double[] a, double[] b) {
        sameLength(a, b);
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] * b[i];
        return r;
    }

    private static double[] transpose(double[] a, int rows, int cols) {
        checkLength(a, (long) rows * cols);
        double[] t = new double[a.length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
        return t;
    }

    private static double[] checked(double[] a, long n) {
        checkLength(a, n);
        return a;
    }

    private static void checkLength(double[] a, long n) {
        if (a.length != n) throw new IllegalArgumentException("operand has " + a.length + " elements, expected " + n);
    }

    private static void sameLength(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("length mismatch " + a.length + " vs " + b.length);
    }
}
