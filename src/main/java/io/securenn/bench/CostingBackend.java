package io.securenn.bench;

import io.securenn.nn.Backend;
import io.securenn.tensor.ConvGeometry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A backend that computes nothing: handles are vector lengths, local operations cost nothing, and every
 * interactive operation adds its cost from {@link Formulas} to the current scope. Running the real layer code on
 * it gives the communication that the protocols' formulas predict for a network, composed exactly as the layers
 * call the protocols.
 */
public final class CostingBackend implements Backend<Integer> {
    private final Formulas formulas;
    private final Map<String, Formulas.Cost> byScope = new LinkedHashMap<>();
    private String scope = "(outside any scope)";

    public CostingBackend(Formulas formulas) {
        this.formulas = formulas;
    }

    public String scope() {
        return scope;
    }

    /** Sets the scope the following costs are added to. */
    public void scope(String label) {
        scope = label;
    }

    /** Costs per scope, in the order the scopes were first charged. */
    public Map<String, Formulas.Cost> costs() {
        return new LinkedHashMap<>(byScope);
    }

    private void charge(Formulas.Cost c) {
        byScope.merge(scope, c, Formulas.Cost::plus);
    }

    private static void sameLength(Integer a, Integer b) {
        if (!a.equals(b)) throw new IllegalArgumentException("length mismatch " + a + " vs " + b);
    }

    @Override
    public Integer importData(long[] values, Encoding encoding) {
        return values.length;   // P0 deals; P1's share comes from the P0–P1 stream: no message
    }

    @Override
    public Integer mulPublic(Integer a, double[] c) {
        io.securenn.nn.PublicScale.check(a, c);
        return a;   // local
    }

    @Override
    public Integer importModel(long[] fixed) {
        return fixed.length;
    }

    @Override
    public long[] reveal(Integer v, Encoding encoding) {
        charge(formulas.reveal(v));
        return null;
    }

    @Override
    public int length(Integer v) {
        return v;
    }

    @Override
    public Integer add(Integer a, Integer b) {
        sameLength(a, b);
        return a;
    }

    @Override
    public Integer sub(Integer a, Integer b) {
        sameLength(a, b);
        return a;
    }

    @Override
    public Integer neg(Integer a) {
        return a;
    }

    @Override
    public Integer addRowVector(Integer matrix, Integer row, int rows, int cols) {
        if (matrix != (long) rows * cols || row != cols) throw new IllegalArgumentException("bias shape");
        return matrix;
    }

    @Override
    public Integer addPublicFixed(Integer a, double c) {
        return a;
    }

    @Override
    public Integer integerToFixed(Integer a) {
        return a;
    }

    @Override
    public Integer truncate(Integer a, int k) {
        return a;
    }

    @Override
    public Integer sumColumns(Integer matrix, int rows, int cols) {
        return cols;
    }

    @Override
    public Integer sumRows(Integer matrix, int rows, int cols) {
        return rows;
    }

    @Override
    public Integer gather(Integer a, int[] index) {
        return index.length;
    }

    @Override
    public Integer scatterAdd(Integer a, int[] index, int outLength) {
        return outLength;
    }

    @Override
    public Integer concat(List<Integer> parts) {
        int n = 0;
        for (int p : parts) n += p;
        return n;
    }

    @Override
    public Integer im2col(Integer x, ConvGeometry g) {
        return g.rows() * g.cols();
    }

    @Override
    public Integer col2im(Integer cols, ConvGeometry g) {
        return g.inputSize();
    }

    @Override
    public Integer rowsToNchw(Integer rows, int batch, int p, int q, int d) {
        return rows;
    }

    @Override
    public Integer nchwToRows(Integer nchw, int batch, int p, int q, int d) {
        return nchw;
    }

    @Override
    public List<Integer> matmul(List<Product<Integer>> products) {
        List<int[]> shapes = new ArrayList<>();
        List<Integer> out = new ArrayList<>();
        for (Product<Integer> p : products) {
            if (p.x() != (long) p.m() * p.n() || p.y() != (long) p.n() * p.v()) {
                throw new IllegalArgumentException("operands do not match the product " + p.m() + "x" + p.n() + "x" + p.v());
            }
            shapes.add(new int[] {p.m(), p.n(), p.v()});
            out.add(p.m() * p.v());
        }
        charge(formulas.matmul(shapes));
        return out;
    }

    @Override
    public Integer convolve(Integer x, io.securenn.tensor.ConvGeometry g, Integer w, int outChannels) {
        if (x != g.inputSize() || w != (long) g.cols() * outChannels) {
            throw new IllegalArgumentException("operands do not match the convolution");
        }
        charge(formulas.convolution(g, outChannels));
        return g.rows() * outChannels;
    }

    @Override
    public Integer mulFixed(Integer a, Integer b) {
        sameLength(a, b);
        charge(formulas.hadamard(a));
        return a;
    }

    @Override
    public Integer mulBits(Integer bits, Integer x) {
        sameLength(bits, x);
        charge(formulas.hadamard(x));
        return x;
    }

    @Override
    public ReluResult<Integer> relu(Integer x) {
        charge(formulas.relu(x));
        return new ReluResult<>(x, x);
    }

    @Override
    public Integer drelu(Integer x) {
        charge(formulas.drelu(x));
        return x;
    }

    @Override
    public MaxResult<Integer> max(Integer x, int count, int n) {
        if (x != (long) count * n) throw new IllegalArgumentException(count + " windows of " + n + " values");
        charge(formulas.maxPool(count, n));
        return new MaxResult<>(count, count);
    }

    @Override
    public Integer argmax(Integer x, int count, int n) {
        if (x != (long) count * n) throw new IllegalArgumentException(count + " windows of " + n + " values");
        charge(formulas.argmax(count, n));
        return count;
    }

    @Override
    public Integer oneHot(Integer index, int count, int n) {
        charge(formulas.oneHot(count, n));
        return count * n;
    }

    @Override
    public Integer divide(Integer x, Integer y) {
        sameLength(x, y);
        charge(formulas.division(x));
        return x;
    }
}
