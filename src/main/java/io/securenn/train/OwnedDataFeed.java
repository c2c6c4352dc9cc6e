package io.securenn.train;

import io.securenn.data.Dataset;
import io.securenn.nn.Backend;

/** Batches from datasets held in the clear by the data owner, imported (shared) through the backend. */
public final class OwnedDataFeed<V> implements DataFeed<V> {
    private final Backend<V> be;
    private final Dataset train, test;

    public OwnedDataFeed(Backend<V> be, Dataset train, Dataset test) {
        if (!java.util.Arrays.equals(train.imageShape(), test.imageShape()) || train.classes() != test.classes()) {
            throw new IllegalArgumentException("train and test sets differ in image size or classes");
        }
        this.be = be;
        this.train = train;
        this.test = test;
    }

    @Override
    public int trainCount() {
        return train.count();
    }

    @Override
    public int testCount() {
        return test.count();
    }

    @Override
    public int classes() {
        return train.classes();
    }

    @Override
    public int imageRows() {
        return train.rows();
    }

    @Override
    public int imageCols() {
        return train.cols();
    }

    @Override
    public int[] imageShape() {
        return train.imageShape();
    }

    @Override
    public Batch<V> train(int[] indices) {
        return batch(train, indices);
    }

    @Override
    public Batch<V> test(int[] indices) {
        return batch(test, indices);
    }

    private Batch<V> batch(Dataset d, int[] idx) {
        return new Batch<>(idx.length,
                be.importData(d.imagesFixed(idx), Backend.Encoding.FIXED),
                be.importData(d.labelsOneHotFixed(idx), Backend.Encoding.FIXED),
                be.importData(d.labelsInteger(idx), Backend.Encoding.INTEGER),
                d.labelsInteger(idx));
    }
}
