package io.securenn.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Add of two tensors of the same shape (a residual connection): local; δ flows unchanged to both inputs. */
public final class AddLayer<V> implements MultiInputLayer<V> {
    private final Backend<V> be;
    private final int size;

    public AddLayer(Backend<V> be, int size) {
        this.be = be;
        this.size = size;
    }

    @Override
    public String describe() {
        return "Add " + size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public V forward(List<V> inputs, int batch, boolean training) {
        if (inputs.size() != 2) throw new IllegalArgumentException("Add takes two inputs, got " + inputs.size());
        Shapes.check(be, inputs.get(0), (long) batch * size, describe() + " input A");
        Shapes.check(be, inputs.get(1), (long) batch * size, describe() + " input B");
        return be.add(inputs.get(0), inputs.get(1));
    }

    @Override
    public List<V> backward(V delta, int batch, Sgd sgd, boolean needInputGradient) {
        Shapes.check(be, delta, (long) batch * size, describe() + " delta");
        return needInputGradient ? List.of(delta, delta) : new ArrayList<>(Collections.nCopies(2, null));
    }
}
