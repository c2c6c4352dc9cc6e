package io.securenn.model.onnx;

import java.util.List;

/**
 * Where one secret tensor of an imported model came from in the ONNX file, so that trained values can be written
 * back into the original initializers (issue 14). The tensor was made from the initializer by, in order:
 * <ol>
 *   <li>the layout change of {@link #layout()} from the initializer's {@link #onnxDims()};</li>
 *   <li>multiplication by {@link #factor()} (Gemm's alpha for a weight, beta for a bias; else 1);</li>
 *   <li>each step of {@link #folds()}, in order: {@code "BatchNormalization:<node>"} (a weight: column d times
 *       scale[d]; a bias: b·scale + shift, with scale = γ/sqrt(var+ε) and shift = β − mean·scale of that node's
 *       initializers) or {@code "Add:<initializer>"} (a bias: plus that constant, broadcast per output).</li>
 * </ol>
 * To export, undo the steps in reverse order; a folded BatchNormalization can also be written out as the identity
 * (γ = 1, β = 0, mean = 0, var = 1 − ε) with the folded tensors in the weight and bias initializers. A tensor with
 * no initializer ({@link #initializer()} null, layout {@link Layout#NONE}) was created by a fold (a bias for a Conv
 * or Gemm that had none): it starts from zeros.
 *
 * @param initializer the ONNX initializer's name, or null
 * @param onnxDims    the initializer's dimensions (empty when none)
 */
public record ParamSource(String initializer, Layout layout, long[] onnxDims, double factor, List<String> folds) {

    public enum Layout {
        /** Conv's [D, C, kh, kw] to the (C·kh·kw)×D matrix (rows (c, ky, kx), columns d). */
        CONV_WEIGHT,
        /** Gemm with transB = 0 or MatMul: [in, out], unchanged. */
        GEMM_WEIGHT,
        /** Gemm with transB = 1: [out, in] transposed to in×out. */
        GEMM_WEIGHT_TRANSPOSED,
        /** A bias: [out], [1, out], [D, 1, 1] or a scalar broadcast to the output's features or channels. */
        BIAS,
        /** An unfolded BatchNormalization's scale γ/sqrt(var+ε); the initializer is γ. */
        BATCH_NORM_SCALE,
        /** An unfolded BatchNormalization's shift β − mean·scale; the initializer is β. */
        BATCH_NORM_SHIFT,
        /** No initializer: a bias created by folding (zeros before the folds). */
        NONE
    }

    public ParamSource {
        onnxDims = onnxDims.clone();
        folds = List.copyOf(folds);
    }

    @Override
    public long[] onnxDims() {
        return onnxDims.clone();
    }
}
