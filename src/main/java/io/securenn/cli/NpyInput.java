package io.securenn.cli;

import io.securenn.SecureNnException;
import io.securenn.data.Npy;
import io.securenn.model.ModelGraph;

import java.nio.file.Path;
import java.util.Arrays;

/** The input owner's rows from a .npy file, checked against the model's input, and the outputs written as .npy. */
record NpyInput(double[] values, int rows) {

    /** Largest |value| accepted: fixed point with 13 fractional bits leaves 50 integer bits; keep far below. */
    static final double MAX_ABS = 1 << 20;

    static NpyInput read(Path file, ModelGraph g) {
        Npy.Array a = Npy.read(file);
        checkDtype(file, a);
        int[] shape = a.shape();
        int[] want = g.inputShape();
        boolean ok = shape.length == want.length + 1 && Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), want);
        // a row of a vector model may come as [N, C, H, W] that flattens to it
        if (!ok && shape.length >= 2 && want.length == 1) {
            long per = 1;
            for (int i = 1; i < shape.length; i++) per *= shape[i];
            ok = per == want[0];
        }
        if (!ok || shape[0] <= 0) {
            throw SecureNnException.badInput(file.getFileName() + ": shape " + Arrays.toString(shape) + " does not match the model's input '"
                    + g.inputName() + "' [N, " + InspectCommand.shape(want).replace("×", ", ") + "]");
        }
        return new NpyInput(values(file, a), shape[0]);
    }

    private static void checkDtype(Path file, Npy.Array a) {
        if (a.dtype() != Npy.Dtype.FLOAT32 && a.dtype() != Npy.Dtype.FLOAT64 && a.dtype() != Npy.Dtype.UINT8) {
            throw SecureNnException.badInput(file.getFileName() + ": dtype " + a.dtype().descr
                    + " is not an input type (float32, float64 or uint8)");
        }
    }

    /** The values (uint8 scaled by 1/255), each finite and within the fixed-point range. */
    static double[] values(Path file, Npy.Array a) {
        checkDtype(file, a);
        double[] v = a.scaled();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i]) || Math.abs(v[i]) > MAX_ABS) {
                throw SecureNnException.badInput(file.getFileName() + ": value " + i + " is " + (Double.isFinite(v[i]) ? "out of the fixed-point range (|x| ≤ 2^20)" : "not finite"));
            }
        }
        return v;
    }

    static void writeOutputs(Path file, double[] outputs, int rows, int k) {
        Npy.writeFloat32(file, new int[] {rows, k}, outputs);
    }
}
