package io.securenn.model;

/**
 * The operator of one {@link ModelGraph} node: the public part of a layer (its kind and geometry; never a weight).
 * Names follow ONNX's operators. Shapes are per example (the batch dimension is never part of a model graph):
 * images are C×H×W, vectors have one dimension. Secret tensors are named by {@link ParamRef}s into
 * {@link ModelParameters}.
 */
public sealed interface Op {

    /** The ONNX operator this node stands for (for messages and {@code inspect}). */
    String onnxType();

    /** Pads of a 2-D window: top, left, bottom, right (ONNX's [y_begin, x_begin, y_end, x_end]). */
    record Pads(int top, int left, int bottom, int right) {
        public static final Pads NONE = new Pads(0, 0, 0, 0);

        public Pads {
            if (top < 0 || left < 0 || bottom < 0 || right < 0) throw new IllegalArgumentException("negative pads " + top + "," + left + "," + bottom + "," + right);
        }

        public static Pads symmetric(int p) {
            return new Pads(p, p, p, p);
        }

        public boolean isZero() {
            return top == 0 && left == 0 && bottom == 0 && right == 0;
        }

        public boolean isSymmetric() {
            return top == bottom && left == right && top == left;
        }
    }

    /** A 2-D window: kernel kh×kw, strides sh, sw, pads. */
    record Window(int kh, int kw, int sh, int sw, Pads pads) {
        public Window {
            if (kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0) throw new IllegalArgumentException("bad window " + kh + "x" + kw + " stride " + sh + "," + sw);
        }

        /** Output extent along one axis (floor, or ceil when {@code ceil}; ONNX's rule for pooling). */
        public static int out(int in, int k, int s, int padBegin, int padEnd, boolean ceil) {
            int span = in + padBegin + padEnd - k;
            if (span < 0) return 0;
            int o = (ceil ? (span + s - 1) / s : span / s) + 1;
            // ONNX (and PyTorch): with ceil_mode the last window must start inside the input or the begin padding
            if (ceil && (o - 1) * s >= in + padBegin) o--;
            return o;
        }

        public int outH(int h, boolean ceil) {
            return out(h, kh, sh, pads.top(), pads.bottom(), ceil);
        }

        public int outW(int w, boolean ceil) {
            return out(w, kw, sw, pads.left(), pads.right(), ceil);
        }
    }

    /** A reference to a secret tensor of {@link ModelParameters} by name, with its length. */
    record ParamRef(String name, int length) {}

    /**
     * Conv (group 1, dilation 1) of a C×H×W input to D×p×q. The weight is stored in the layer's layout, the
     * (C·kh·kw)×D matrix of im2col (rows (c, ky, kx), columns d); bias (D) or null.
     */
    record Conv(int outChannels, Window window, ParamRef weight, ParamRef bias) implements Op {
        public String onnxType() { return "Conv"; }
    }

    /**
     * Y = X·W + b on vectors: Gemm (alpha and transB folded into W, beta into b by the owner) or MatMul + Add.
     * W is stored in×out row-major; bias (out) or null.
     */
    record Gemm(int in, int out, ParamRef weight, ParamRef bias, String onnxType) implements Op {}

    record Relu() implements Op {
        public String onnxType() { return "Relu"; }
    }

    /** MaxPool; padded positions never win (they are not candidates). */
    record MaxPool(Window window, boolean ceilMode) implements Op {
        public String onnxType() { return "MaxPool"; }
    }

    /** AveragePool: the sum of each window times a public 1/k (k = kh·kw, or the window's valid count). */
    record AveragePool(Window window, boolean ceilMode, boolean countIncludePad) implements Op {
        public String onnxType() { return "AveragePool"; }
    }

    record GlobalAveragePool() implements Op {
        public String onnxType() { return "GlobalAveragePool"; }
    }

    /**
     * BatchNormalization that could not be folded into a neighbouring linear layer: a secure per-channel affine
     * y = scale[c]·x + shift[c], scale and shift (C each) the owner's secret, computed from γ, β, mean, var, ε.
     */
    record BatchNorm(ParamRef scale, ParamRef shift) implements Op {
        public String onnxType() { return "BatchNormalization"; }
    }

    /** Flatten or Reshape to [N, −1]: a no-op on the flat NCHW layout. */
    record Flatten(String onnxType) implements Op {}

    /** Add of two tensors of the same shape (a residual connection). */
    record Add() implements Op {
        public String onnxType() { return "Add"; }
    }

    /** Concat of two or more C_i×H×W tensors along channels. */
    record Concat() implements Op {
        public String onnxType() { return "Concat"; }
    }

    /** Pad with zeros on the spatial axes of a C×H×W input. */
    record Pad(Pads pads) implements Op {
        public String onnxType() { return "Pad"; }
    }
}
