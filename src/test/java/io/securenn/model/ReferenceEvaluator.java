package io.securenn.model;

import java.util.Arrays;

/**
 * A plain float64 evaluator of a {@link ModelGraph} with its {@link ModelParameters}: loops over the flat
 * row-major (N, C, H, W) layout, one operator at a time, no cleverness, so that the ONNX importer can be tested on
 * its own against onnxruntime (and the graph executor against this).
 *
 * <p>Semantics follow ONNX: MaxPool ignores padded positions; AveragePool divides by the number of valid positions
 * (count_include_pad = 0) or by kh·kw (count_include_pad = 1), even for a ceil_mode window that runs past the end
 * padding: what onnxruntime 1.23 does (PyTorch divides such a window by its part inside the padded input).
 */
public final class ReferenceEvaluator {
    private ReferenceEvaluator() {}

    /** The logits (batch × classes, row-major) for a batch of inputs (batch × inputSize). */
    public static double[] logits(ModelGraph g, ModelParameters p, double[] input, int batch) {
        double[][] all = all(g, p, input, batch);
        return all[all.length - 1];
    }

    /** The logits with the graph's output function (Softmax, LogSoftmax) applied. */
    public static double[] output(ModelGraph g, ModelParameters p, double[] input, int batch) {
        double[] z = logits(g, p, input, batch);
        if (g.output() == ModelGraph.Output.LOGITS) return z;
        int k = g.classes();
        double[] y = new double[z.length];
        for (int b = 0; b < batch; b++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < k; j++) max = Math.max(max, z[b * k + j]);
            for (int j = 0; j < k; j++) sum += Math.exp(z[b * k + j] - max);
            for (int j = 0; j < k; j++) {
                double l = z[b * k + j] - max - Math.log(sum);
                y[b * k + j] = g.output() == ModelGraph.Output.SOFTMAX ? Math.exp(l) : l;
            }
        }
        return y;
    }

    /** Every node's output (batch × its size, row-major), in node order. */
    public static double[][] all(ModelGraph g, ModelParameters p, double[] input, int batch) {
        if (input.length != batch * g.inputSize()) {
            throw new IllegalArgumentException("input has " + input.length + " values, expected " + batch + " x " + g.inputSize());
        }
        p.checkAgainst(g);
        double[][] v = new double[g.nodes().size()][];
        for (int i = 0; i < v.length; i++) {
            Node n = g.nodes().get(i);
            int[] ins = n.inputs();
            double[][] x = new double[ins.length][];
            int[][] xs = new int[ins.length][];
            for (int j = 0; j < ins.length; j++) {
                x[j] = ins[j] == ModelGraph.INPUT ? input : v[ins[j]];
                xs[j] = g.shapeOf(ins[j]);
            }
            v[i] = eval(n, x, xs, p, batch);
            if (v[i].length != batch * n.size()) throw new AssertionError("node " + n.name() + " made " + v[i].length + " values");
        }
        return v;
    }

    private static double[] eval(Node n, double[][] x, int[][] xs, ModelParameters p, int batch) {
        int[] s = xs[0];
        int inSize = ModelGraph.size(s), outSize = n.size();
        double[] y = new double[batch * outSize];
        switch (n.op()) {
            case Op.Conv c -> {
                double[] w = p.get(c.weight().name()), b = c.bias() == null ? null : p.get(c.bias().name());
                int C = s[0], H = s[1], W = s[2], D = c.outChannels(), P = n.shape()[1], Q = n.shape()[2];
                Op.Window k = c.window();
                for (int e = 0; e < batch; e++) {
                    for (int d = 0; d < D; d++) {
                        for (int oy = 0; oy < P; oy++) {
                            for (int ox = 0; ox < Q; ox++) {
                                double acc = b == null ? 0 : b[d];
                                for (int ch = 0; ch < C; ch++) {
                                    for (int ky = 0; ky < k.kh(); ky++) {
                                        int iy = oy * k.sh() - k.pads().top() + ky;
                                        if (iy < 0 || iy >= H) continue;
                                        for (int kx = 0; kx < k.kw(); kx++) {
                                            int ix = ox * k.sw() - k.pads().left() + kx;
                                            if (ix < 0 || ix >= W) continue;
                                            acc += x[0][e * inSize + (ch * H + iy) * W + ix] * w[((ch * k.kh() + ky) * k.kw() + kx) * D + d];
                                        }
                                    }
                                }
                                y[e * outSize + (d * P + oy) * Q + ox] = acc;
                            }
                        }
                    }
                }
            }
            case Op.Gemm gm -> {
                double[] w = p.get(gm.weight().name()), b = gm.bias() == null ? null : p.get(gm.bias().name());
                for (int e = 0; e < batch; e++) {
                    for (int o = 0; o < gm.out(); o++) {
                        double acc = b == null ? 0 : b[o];
                        for (int i = 0; i < gm.in(); i++) acc += x[0][e * inSize + i] * w[i * gm.out() + o];
                        y[e * outSize + o] = acc;
                    }
                }
            }
            case Op.Relu r -> {
                for (int j = 0; j < y.length; j++) y[j] = Math.max(0, x[0][j]);
            }
            case Op.MaxPool mp -> pool(x[0], s, n.shape(), mp.window(), batch, y, true, false);
            case Op.AveragePool ap -> pool(x[0], s, n.shape(), ap.window(), batch, y, false, ap.countIncludePad());
            case Op.GlobalAveragePool gp -> {
                int hw = s[1] * s[2];
                for (int e = 0; e < batch; e++) {
                    for (int ch = 0; ch < s[0]; ch++) {
                        double acc = 0;
                        for (int j = 0; j < hw; j++) acc += x[0][e * inSize + ch * hw + j];
                        y[e * outSize + ch] = acc / hw;
                    }
                }
            }
            case Op.BatchNorm bn -> {
                double[] sc = p.get(bn.scale().name()), sh = p.get(bn.shift().name());
                int per = inSize / s[0];
                for (int e = 0; e < batch; e++) {
                    for (int j = 0; j < inSize; j++) y[e * outSize + j] = sc[j / per] * x[0][e * inSize + j] + sh[j / per];
                }
            }
            case Op.Flatten f -> System.arraycopy(x[0], 0, y, 0, y.length);
            case Op.Add a -> {
                for (int j = 0; j < y.length; j++) y[j] = x[0][j] + x[1][j];
            }
            case Op.Concat cc -> {
                for (int e = 0; e < batch; e++) {
                    int at = 0;
                    for (int j = 0; j < x.length; j++) {
                        int sz = ModelGraph.size(xs[j]);
                        System.arraycopy(x[j], e * sz, y, e * outSize + at, sz);
                        at += sz;
                    }
                }
            }
            case Op.Pad pd -> {
                int C = s[0], H = s[1], W = s[2], P = n.shape()[1], Q = n.shape()[2];
                for (int e = 0; e < batch; e++) {
                    for (int ch = 0; ch < C; ch++) {
                        for (int iy = 0; iy < H; iy++) {
                            for (int ix = 0; ix < W; ix++) {
                                y[e * outSize + (ch * P + iy + pd.pads().top()) * Q + ix + pd.pads().left()] = x[0][e * inSize + (ch * H + iy) * W + ix];
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    private static void pool(double[] x, int[] s, int[] out, Op.Window k, int batch, double[] y, boolean max, boolean includePad) {
        int C = s[0], H = s[1], W = s[2], P = out[1], Q = out[2];
        int inSize = C * H * W, outSize = C * P * Q;
        for (int e = 0; e < batch; e++) {
            for (int ch = 0; ch < C; ch++) {
                for (int oy = 0; oy < P; oy++) {
                    for (int ox = 0; ox < Q; ox++) {
                        int hs = oy * k.sh() - k.pads().top(), ws = ox * k.sw() - k.pads().left();
                        double acc = max ? Double.NEGATIVE_INFINITY : 0;
                        int valid = 0;
                        for (int iy = Math.max(hs, 0); iy < Math.min(hs + k.kh(), H); iy++) {
                            for (int ix = Math.max(ws, 0); ix < Math.min(ws + k.kw(), W); ix++) {
                                double v = x[e * inSize + (ch * H + iy) * W + ix];
                                acc = max ? Math.max(acc, v) : acc + v;
                                valid++;
                            }
                        }
                        if (valid == 0) throw new AssertionError("an empty pooling window at " + oy + "," + ox + " " + Arrays.toString(s));
                        y[e * outSize + (ch * P + oy) * Q + ox] = max ? acc : acc / (includePad ? k.kh() * k.kw() : valid);
                    }
                }
            }
        }
    }
}
