package io.securenn.nn;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BatchNormalization that could not be folded into a linear layer, as a secure per-channel affine
 * y = scale[c]·x + shift[c] with scale = γ/√(var+ε) and shift = β − mean·scale, both the model owner's secret:
 * the shift is added to the shares (local), the scale is broadcast over each channel's plane (local) and applied
 * by one element-wise product (one round). Frozen statistics: in training scale and shift are trained as the
 * affine's parameters (∂scale = Σ δ·x, ∂shift = Σ δ per channel), the running statistics never change.
 */
public final class BatchNormalizationLayer<V> implements Layer<V> {
    private final Backend<V> be;
    private final int channels, plane;
    private final Parameter<V> scale, shift;
    private final Map<Integer, int[]> channelMaps = new HashMap<>();
    private V input;

    public BatchNormalizationLayer(Backend<V> be, int channels, int plane, String name, V scale, V shift) {
        this.be = be;
        this.channels = channels;
        this.plane = plane;
        this.scale = new Parameter<>(name + ".scale", new int[] {channels}, scale);
        this.shift = new Parameter<>(name + ".shift", new int[] {channels}, shift);
        Shapes.check(be, scale, channels, this.scale.name());
        Shapes.check(be, shift, channels, this.shift.name());
    }

    @Override
    public String describe() {
        return "BatchNormalization (secure affine) " + channels + " channels × " + plane;
    }

    @Override
    public int inputSize() {
        return channels * plane;
    }

    @Override
    public int outputSize() {
        return channels * plane;
    }

    /** For every element of a batch, its channel. */
    private int[] channelOf(int batch) {
        return channelMaps.computeIfAbsent(batch, b -> {
            int[] m = new int[b * channels * plane];
            int o = 0;
            for (int i = 0; i < b; i++)
                for (int c = 0; c < channels; c++)
                    for (int k = 0; k < plane; k++) m[o++] = c;
            return m;
        });
    }

    @Override
    public V forward(V x, int batch, boolean training) {
        Shapes.check(be, x, (long) batch * inputSize(), describe() + " input");
        input = training ? x : null;
        int[] ch = channelOf(batch);
        return be.add(be.mulFixed(x, be.gather(scale.value(), ch)), be.gather(shift.value(), ch));
    }

    /** Per-channel sums of a batch of NCHW values. */
    private V channelSums(V v, int batch) {
        V perPlane = plane == 1 ? v : be.sumRows(v, batch * channels, plane);
        return be.sumColumns(perPlane, batch, channels);
    }

    @Override
    public V backward(V delta, int batch, Sgd sgd, boolean needInputGradient) {
        if (input == null) throw new IllegalStateException(describe() + ": backward without a training forward pass");
        Shapes.check(be, delta, (long) batch * outputSize(), describe() + " delta");
        V dIn = needInputGradient ? be.mulFixed(delta, be.gather(scale.value(), channelOf(batch))) : null;
        V dScale = be.truncate(channelSums(be.mulFixed(delta, input), batch), sgd.shift());
        V dShift = be.truncate(channelSums(delta, batch), sgd.shift());
        sgd.apply(be, scale, dScale);
        sgd.apply(be, shift, dShift);
        input = null;
        return dIn;
    }

    @Override
    public List<Parameter<V>> parameters() {
        return List.of(scale, shift);
    }
}
