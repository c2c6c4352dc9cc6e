package io.securenn.train;

/**
 * Where batches come from: the data owner's images and labels, imported into the backend. The plaintext runs and
 * a local secure run use {@link OwnedDataFeed}; a per-party secure run can read share files instead.
 */
public interface DataFeed<V> {
    /**
     * One batch: images (FIXED, size × C·H·W, NCHW), one-hot labels (FIXED, size × classes),
     * label indices (INTEGER, size) and, where this party may know them, the labels in the clear (else null).
     */
    record Batch<V>(int size, V images, V labelsFixed, V labelIndex, long[] clearLabels) {}

    int trainCount();

    int testCount();

    int classes();

    /** The images' rows and columns (every channel). */
    int imageRows();

    int imageCols();

    /** The shape of one image: C×H×W. */
    default int[] imageShape() {
        return new int[] {1, imageRows(), imageCols()};
    }

    Batch<V> train(int[] indices);

    Batch<V> test(int[] indices);
}
