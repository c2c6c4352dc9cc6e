package io.securenn.train;

import io.securenn.data.Dataset;
import io.securenn.data.ShareFile;
import io.securenn.nn.secure.Secret;
import io.securenn.nn.secure.SecureBackend;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Batches from a data owner's share files (made by {@code securenn share --dataset}): each server reads only its
 * own file and slices its shares locally; no server ever sees an image or a label. P2's file holds only the public
 * sizes. Clear labels are not available, so predictions come with accuracy only, no confusion matrix.
 */
public final class SharedDataFeed implements DataFeed<Secret> {
    public static final String KIND = "data";

    private final SecureBackend be;
    private final int trainCount, testCount, rows, cols, classes;
    private final Map<String, long[]> shares;

    public SharedDataFeed(SecureBackend be, ShareFile file) {
        this.be = be;
        this.trainCount = (int) file.publicInt("train.count");
        this.testCount = (int) file.publicInt("test.count");
        this.rows = (int) file.publicInt("rows");
        this.cols = (int) file.publicInt("cols");
        this.classes = (int) file.publicInt("classes");
        this.shares = file.shares();
    }

    /** The data owner's side: splits the two sets into the servers' files in dir. */
    public static List<Path> deal(Path dir, Dataset train, Dataset test, byte[] seed32) {
        Map<String, Long> ints = new LinkedHashMap<>();
        ints.put("train.count", (long) train.count());
        ints.put("test.count", (long) test.count());
        ints.put("rows", (long) train.rows());
        ints.put("cols", (long) train.cols());
        ints.put("classes", (long) train.classes());
        Map<String, long[]> ts = new LinkedHashMap<>();
        for (var e : Map.of("train", train, "test", test).entrySet()) {
            Dataset d = e.getValue();
            int[] all = new int[d.count()];
            for (int i = 0; i < all.length; i++) all[i] = i;
            ts.put(e.getKey() + ".images", d.imagesFixed(all));
            ts.put(e.getKey() + ".onehot", d.labelsOneHotFixed(all));
            ts.put(e.getKey() + ".labels", d.labelsInteger(all));
        }
        return ShareFile.deal(dir, KIND, ints, new java.util.TreeMap<>(ts), seed32);
    }

    @Override public int trainCount() { return trainCount; }
    @Override public int testCount() { return testCount; }
    @Override public int classes() { return classes; }
    @Override public int imageRows() { return rows; }
    @Override public int imageCols() { return cols; }

    @Override
    public Batch<Secret> train(int[] indices) {
        return batch("train", indices);
    }

    @Override
    public Batch<Secret> test(int[] indices) {
        return batch("test", indices);
    }

    private Batch<Secret> batch(String set, int[] idx) {
        int px = rows * cols;
        return new Batch<>(idx.length, rowsOf(set + ".images", idx, px), rowsOf(set + ".onehot", idx, classes),
                rowsOf(set + ".labels", idx, 1), null);
    }

    private Secret rowsOf(String name, int[] idx, int width) {
        long[] all = shares.get(name);
        if (all == null) return be.fromShare(null, idx.length * width);   // P2: lengths only
        long[] r = new long[idx.length * width];
        for (int i = 0; i < idx.length; i++) System.arraycopy(all, idx[i] * width, r, i * width, width);
        return be.fromShare(r, r.length);
    }
}
