package io.securenn.nn;

import java.util.List;

/**
 * A layer of several inputs (a graph's Add and Concat): forward takes one batch per input, backward returns δ at
 * every input (null where not needed).
 */
public interface MultiInputLayer<V> {
    String describe();

    int outputSize();

    V forward(List<V> inputs, int batch, boolean training);

    List<V> backward(V delta, int batch, Sgd sgd, boolean needInputGradient);
}
