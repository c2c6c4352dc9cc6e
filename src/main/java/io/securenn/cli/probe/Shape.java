package io.securenn.cli.probe;

/** Rows × columns of a probe input or result; a vector file (one value per line) is n × 1. */
public record Shape(int rows, int cols) {
    public Shape {
        if (rows < 1 || cols < 1) throw new IllegalArgumentException("empty shape " + rows + "x" + cols);
        Math.multiplyExact(rows, cols);
    }

    /**
     * The common shape of an element-wise operation's two inputs; bad input naming them otherwise, e.g.
     * "div needs x and y of the same shape, got 5x1 and 4x1".
     */
    public static Shape requireSame(Shape[] in, String op, String operands) {
        if (!in[0].equals(in[1])) {
            throw io.securenn.SecureNnException.badInput(op + " needs " + operands + " of the same shape, got " + in[0]
                    + " and " + in[1]);
        }
        return in[0];
    }

    public int size() {
        return rows * cols;
    }

    @Override
    public String toString() {
        return rows + "x" + cols;
    }
}
