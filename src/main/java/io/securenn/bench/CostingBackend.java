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
 *
 * <p>With a {@link Weights} other than {@link Weights#PER_PRODUCT}, the layers' weight operands (a {@link
 * Product#weightY}, a convolution's kernel) are costed as stationary weights masked once per session
 * (docs/PROTOCOLS.md, "Stationary weight masks"): as in the session's first batch, which opens F, or as in a later
 * one, which does not.
 */
public final class CostingBackend implements Backend<Integer> {
    /** How the weight operands of products are masked in the batch being costed. */
    public enum Weights {
        /** Per product, as the paper (one-shot jobs, training, the benchmark rows). */
        PER_PRODUCT,
        /** Once per session, in the session's first batch: F = W − V is opened. */
        FIRST_BATCH,
        /** Once per session, in a later batch: F is cached, only E travels. */
        LATER_BATCH
    }

    private final Formulas formulas;
    private final Weights weights;
    private final Map<String, Formulas.Cost> byScope = new LinkedHashMap<>();
    private String scope = "(outside any scope)";

    public CostingBackend(Formulas formulas) {
        this(formulas, Weights.PER_PRODUCT);
    }

    public CostingBackend(Formulas formulas, Weights weights) {
        this.formulas = formulas;
        this.weights = java.util.Objects.requireNonNull(weights, "weights");
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
        List<int[]> shapes = new ArrayList<>(), stationary = new ArrayList<>();
        List<Integer> out = new ArrayList<>();
        for (Product<Integer> p : products) {
            if (p.x() != (long) p.m() * p.n() || p.y() != (long) p.n() * p.v()) {
                throw new IllegalArgumentException("operands do not match the product " + p.m() + "x" + p.n() + "x" + p.v());
            }
            (p.weightY() && weights != Weights.PER_PRODUCT ? stationary : shapes).add(new int[] {p.m(), p.n(), p.v()});
            out.add(p.m() * p.v());
        }
        // one call: the products share the exchange (bytes add up, one round)
        Formulas.Cost c = shapes.isEmpty() ? Formulas.Cost.ZERO : formulas.matmul(shapes);
        if (!stationary.isEmpty()) c = c.besides(formulas.matmulStationary(stationary, weights == Weights.FIRST_BATCH));
        charge(c);
        return out;
    }

    @Override
    public Integer convolve(Integer x, io.securenn.tensor.ConvGeometry g, Integer w, int outChannels) {
        if (x != g.inputSize() || w != (long) g.cols() * outChannels) {
            throw new IllegalArgumentException("operands do not match the convolution");
        }
        charge(weights == Weights.PER_PRODUCT ? formulas.convolution(g, outChannels)
                : formulas.convolutionStationary(g, outChannels, weights == Weights.FIRST_BATCH));
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
