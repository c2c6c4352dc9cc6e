package io.securenn.cli.probe;

/** Rows × columns of a probe input or result; a vector file (one value per line) is n × 1. */
public record Shape(int rows, int cols) {
    public Shape {
        if (rows < 1 || cols < 1) throw new IllegalArgumentException("empty shape " + rows + "x" + cols);
        Math.multiplyExact(rows, cols);
    }

    public int size() {
        return rows * cols;
    }

    @Override
    public String toString() {
        return rows + "x" + cols;
    }
}
