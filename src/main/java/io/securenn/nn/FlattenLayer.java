package io.securenn.nn;

/** Flatten / Reshape to [N, −1]: NCHW is already flat per example, so nothing moves. */
public final class FlattenLayer<V> implements Layer<V> {
    private final Backend<V> be;
    private final String op;
    private final int size;

    public FlattenLayer(Backend<V> be, String op, int size) {
        this.be = be;
        this.op = op;
        this.size = size;
    }

    @Override
    public String describe() {
        return op + " " + size;
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
        return x;
    }

    @Override
    public V backward(V delta, int batch, Sgd sgd, boolean needInputGradient) {
        return needInputGradient ? delta : null;
    }
}
