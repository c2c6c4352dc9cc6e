package io.securenn.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Concat along channels of NCHW inputs C_i×H×W: the inputs are laid end to end (local) and reordered so each
 * example holds its channels in input order; backward gathers each input's channels of δ.
 */
public final class ConcatLayer<V> implements MultiInputLayer<V> {
    private final Backend<V> be;
    private final int[] sizes;   // per example, of each input (C_i·H·W)
    private final int total;
    private final Map<Integer, int[]> forwardMaps = new HashMap<>();
    private final Map<Integer, List<int[]>> backwardMaps = new HashMap<>();

    public ConcatLayer(Backend<V> be, int[] sizesPerExample) {
        this.be = be;
        this.sizes = sizesPerExample.clone();
        int t = 0;
        for (int s : sizes) t += s;
        this.total = t;
    }

    @Override
    public String describe() {
        return "Concat of " + sizes.length + " inputs → " + total;
    }

    @Override
    public int outputSize() {
        return total;
    }

    private int[] forwardMap(int batch) {
        return forwardMaps.computeIfAbsent(batch, b -> {
            int[] m = new int[b * total];
            int o = 0;
            for (int i = 0; i < b; i++) {
                int base = 0;
                for (int s : sizes) {
                    for (int k = 0; k < s; k++) m[o++] = base + i * s + k;
                    base += b * s;
                }
            }
            return m;
        });
    }

    private List<int[]> backwardMaps(int batch) {
        return backwardMaps.computeIfAbsent(batch, b -> {
            List<int[]> maps = new ArrayList<>();
            int offset = 0;
            for (int s : sizes) {
                int[] m = new int[b * s];
                for (int i = 0; i < b; i++)
                    for (int k = 0; k < s; k++) m[i * s + k] = i * total + offset + k;
                maps.add(m);
                offset += s;
            }
            return maps;
        });
    }

    @Override
    public V forward(List<V> inputs, int batch, boolean training) {
        if (inputs.size() != sizes.length) throw new IllegalArgumentException("Concat takes " + sizes.length + " inputs");
        for (int i = 0; i < sizes.length; i++) Shapes.check(be, inputs.get(i), (long) batch * sizes[i], describe() + " input " + i);
        return be.gather(be.concat(inputs), forwardMap(batch));
    }

    @Override
    public List<V> backward(V delta, int batch, Sgd sgd, boolean needInputGradient) {
        Shapes.check(be, delta, (long) batch * total, describe() + " delta");
        if (!needInputGradient) return new ArrayList<>(Collections.nCopies(sizes.length, null));
        List<V> out = new ArrayList<>();
        for (int[] m : backwardMaps(batch)) out.add(be.gather(delta, m));
        return out;
    }
}
