package io.securenn.nn;

import io.securenn.ring.FixedPoint;

import java.util.ArrayList;
import java.util.List;

/** Runs one layer forward and backward on any backend from fixed-point inputs; results decoded to doubles. */
public final class LayerHarness {
    private LayerHarness() {}

    interface Factory {
        <V> Layer<V> make(Backend<V> be, List<V> params);
    }

    /** out, δ_in, then every parameter after the SGD step. */
    record Result(double[] out, double[] deltaIn, List<double[]> paramsAfter) {}

    public static <V> Result run(Backend<V> be, Factory f, long[][] params, long[] x, long[] delta, int batch, Sgd sgd) {
        List<V> ps = new ArrayList<>();
        for (long[] p : params) ps.add(be.importModel(p));
        Layer<V> layer = f.make(be, ps);
        V out = layer.forward(be.importData(x, Backend.Encoding.FIXED), batch, true);
        V dIn = layer.backward(be.importData(delta, Backend.Encoding.FIXED), batch, sgd, true);
        List<double[]> after = new ArrayList<>();
        for (Parameter<V> p : layer.parameters()) after.add(decode(be, p.value()));
        return new Result(decode(be, out), decode(be, dIn), after);
    }

    public static <V> double[] decode(Backend<V> be, V v) {
        return FixedPoint.decode(be.reveal(v, Backend.Encoding.FIXED));
    }

    public static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) throw new AssertionError("lengths " + a.length + " vs " + b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
