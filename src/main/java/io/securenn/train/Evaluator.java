package io.securenn.train;

import io.securenn.nn.Backend;
import io.securenn.model.GraphModel;
import io.securenn.model.Network;

/** Inference over a whole test set in batches (the last batch may be smaller; nothing is dropped). */
public final class Evaluator {
    private Evaluator() {}

    /** Test accuracy from one revealed aggregate (the count of correct predictions); NaN where not revealed. */
    public static <V> double accuracy(GraphModel<V> net, DataFeed<V> feed, int batch) {
        Backend<V> be = net.backend();
        V acc = null;
        int n = feed.testCount();
        for (int start = 0; start < n; start += batch) {
            int size = Math.min(batch, n - start);
            DataFeed.Batch<V> b = feed.test(range(start, size));
            V z = net.forward(b.images(), size, false);
            acc = Metrics.accumulate(be, acc, Metrics.correctPlusBatch(be, z, b.labelIndex(), size, feed.classes()));
        }
        long[] v = be.reveal(acc, Backend.Encoding.INTEGER);
        return v == null ? Double.NaN : (double) (v[0] - n) / n;
    }

    /** Predictions (argmax of z, revealed to the output party) with the confusion matrix [label][predicted]. */
    public record Predictions(long[] predicted, long[] labels, long[][] confusion, int correct) {
        public double accuracy() {
            return (double) correct / predicted.length;
        }
    }

    /** Returns null at a party that does not learn the predictions. */
    public static <V> Predictions predict(Network<V> net, DataFeed<V> feed, int batch) {
        return predict(net.model(), feed, batch);
    }

    /** Predictions of any model graph (its classes must be the feed's). Null at a party that does not learn them. */
    public static <V> Predictions predict(GraphModel<V> net, DataFeed<V> feed, int batch) {
        Backend<V> be = net.backend();
        if (net.graph().classes() != feed.classes()) {
            throw new IllegalArgumentException("the model has " + net.graph().classes() + " outputs, the data " + feed.classes() + " classes");
        }
        int n = feed.testCount(), classes = feed.classes();
        long[] predicted = new long[n], labels = new long[n];
        boolean learned = true;
        // every party runs every batch, even one that learns nothing (its peers wait for its messages)
        for (int start = 0; start < n; start += batch) {
            int size = Math.min(batch, n - start);
            DataFeed.Batch<V> b = feed.test(range(start, size));
            V z = net.forward(b.images(), size, false);
            long[] p = be.reveal(be.argmax(z, size, classes), Backend.Encoding.INTEGER);
            if (p == null || b.clearLabels() == null) {
                learned = false;
                continue;
            }
            System.arraycopy(p, 0, predicted, start, size);
            System.arraycopy(b.clearLabels(), 0, labels, start, size);
        }
        if (!learned) return null;
        long[][] confusion = new long[classes][classes];
        int correct = 0;
        for (int i = 0; i < n; i++) {
            confusion[(int) labels[i]][(int) predicted[i]]++;
            if (labels[i] == predicted[i]) correct++;
        }
        return new Predictions(predicted, labels, confusion, correct);
    }

    static int[] range(int start, int size) {
        int[] r = new int[size];
        for (int i = 0; i < size; i++) r[i] = start + i;
        return r;
    }
}
