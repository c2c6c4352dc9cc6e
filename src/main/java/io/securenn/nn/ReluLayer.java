package io.securenn.nn;

/** ReLU; keeps the DReLU bits of the forward pass and multiplies δ by them (bit × value, exact: correction 2). */
public final class ReluLayer<V> implements Layer<V> {
    private final Backend<V> be;
    private final int size;
    private V bits;

    public ReluLayer(Backend<V> be, int size) {
        this.be = be;
        this.size = size;
    }

    @Override
    public String describe() {
        return "ReLU " + size;
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public V forward(V x, int batch, boolean training) {
        Shapes.check(be, x, (long) batch * size, describe() + " input");
        Backend.ReluResult<V> r = be.relu(x);
        bits = training ? r.bits() : null;
        return r.value();
    }

    @Override
    public V backward(V delta, int batch, Sgd sgd, boolean needInputGradient) {
        if (bits == null) throw new IllegalStateException(describe() + ": backward without a training forward pass");
        Shapes.check(be, delta, (long) batch * size, describe() + " delta");
        V d = needInputGradient ? be.mulBits(bits, delta) : null;
        bits = null;
        return d;
    }
}
