package io.securenn.nn;

import java.util.List;

/**
 * One layer over a {@link Backend}. Forward takes and returns a batch of activations (batch × size per example,
 * NCHW for images); in training mode it keeps what the backward pass needs (inputs, DReLU bits, DMP one-hots).
 * Backward takes δ at the layer's output, updates the layer's parameters by SGD and returns δ at its input
 * (or null when {@code needInputGradient} is false: the first layer's is never needed).
 */
public interface Layer<V> {
    String describe();

    int inputSize();

    int outputSize();

    V forward(V x, int batch, boolean training);

    V backward(V delta, int batch, Sgd sgd, boolean needInputGradient);

    default List<Parameter<V>> parameters() {
        return List.of();
    }
}
