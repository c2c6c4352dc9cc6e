package io.securenn.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Gemm (and ONNX's MatMul + Add): Z = A·W + b with W (in × out) and b (out), or no bias. Backward (spec (3b)–(3d), correction 9): ΔW = A^T·δ and
 * δ_in = δ·W^T in ONE matmul call (both use W before the update); ΔW is truncated by 13 + log2 B + lr-shift in
 * that product's single truncation; Δb = column sums of δ, truncated by log2 B + lr-shift.
 */
public final class GemmLayer<V> implements Layer<V> {
    private final Backend<V> be;
    private final int in, out;
    private final Parameter<V> weights, bias;
    private V input;

    public GemmLayer(Backend<V> be, int in, int out, String name, V weights, V bias) {
        this.be = be;
        this.in = in;
        this.out = out;
        this.weights = new Parameter<>(name + ".W", new int[] {in, out}, weights);
        this.bias = bias == null ? null : new Parameter<>(name + ".b", new int[] {out}, bias);
        Shapes.check(be, weights, (long) in * out, this.weights.name());
        if (bias != null) Shapes.check(be, bias, out, this.bias.name());
    }

    @Override
    public String describe() {
        return "FC " + in + "→" + out;
    }

    @Override
    public int inputSize() {
        return in;
    }

    @Override
    public int outputSize() {
        return out;
    }

    @Override
    public V forward(V x, int batch, boolean training) {
        Shapes.check(be, x, (long) batch * in, describe() + " input");
        input = training ? x : null;
        V z = be.matmul(Backend.Product.ofWeight(x, weights.value(), batch, in, out));
        return bias == null ? z : be.addRowVector(z, bias.value(), batch, out);
    }

    @Override
    public V backward(V delta, int batch, Sgd sgd, boolean needInputGradient) {
        if (input == null) throw new IllegalStateException(describe() + ": backward without a training forward pass");
        Shapes.check(be, delta, (long) batch * out, describe() + " delta");
        List<Backend.Product<V>> products = new ArrayList<>(2);
        products.add(new Backend.Product<>(input, delta, in, batch, out, true, false, sgd.shift()));
        if (needInputGradient) {
            products.add(new Backend.Product<>(delta, weights.value(), batch, out, in, false, true, 0));
        }
        List<V> r = be.matmul(products);
        V biasStep = bias == null ? null : be.truncate(be.sumColumns(delta, batch, out), sgd.shift());
        sgd.apply(be, weights, r.get(0));
        if (bias != null) sgd.apply(be, bias, biasStep);
        input = null;
        return needInputGradient ? r.get(1) : null;
    }

    @Override
    public List<Parameter<V>> parameters() {
        return bias == null ? List.of(weights) : List.of(weights, bias);
    }
}
