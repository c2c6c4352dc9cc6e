package io.securenn.train;

import io.securenn.data.Dataset;
import io.securenn.model.Architecture;
import io.securenn.model.Init;
import io.securenn.nn.Loss;
import io.securenn.model.ModelWeights;
import io.securenn.model.Network;
import io.securenn.nn.PlainFixedBackend;
import io.securenn.nn.secure.Secret;
import io.securenn.nn.secure.SecureBackend;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.PartyContext;
import io.securenn.testutil.SyntheticMnist;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory does not grow over epochs: a secure training of network A (three parties in this JVM) keeps nothing of
 * its batches. After every epoch P0 takes the heap's live size after a full collection; epoch 3's may exceed
 * epoch 1's by no more than a small margin, while the same measurement of a training that keeps 128 KiB per batch
 * (what a forgotten reference to a batch's input would do) grows measurably more: the margin can catch a leak.
 * The per-epoch metrics also carry each party's resident memory (peak and current).
 */
class EpochMemoryTest {
    static final int EPOCHS = 3, BATCH = 16, IMAGES = 128;
    static final long MARGIN = 1L << 20;
    static final Dataset TRAIN = SyntheticMnist.make("train", IMAGES, 1), TEST = SyntheticMnist.make("test", 16, 2);

    /** Live heap after a full collection, bytes (two collections: the first may only queue finalisation). */
    static long liveHeap() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static void await(CyclicBarrier b) {
        try {
            b.await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("parties did not meet between epochs", e);
        }
    }

    record Run(long[] heapAfterEpoch, List<Map<String, Number>> counters) {}

    /** Secure training of A, three parties in this JVM; all of them stand between epochs while P0 measures. */
    static Run secure() {
        long[] heap = new long[EPOCHS + 1];
        List<Map<String, Number>> counters = new ArrayList<>();
        CyclicBarrier between = new CyclicBarrier(3);
        TrainConfig cfg = TrainConfig.defaults().withEpochs(EPOCHS).withBatch(BATCH).withLrShift(7).withLoss(Loss.ASM).withTestEachEpoch(false).withEvaluate(false);
        LocalCluster.run(ctx -> {
            SecureBackend be = new SecureBackend(ctx);
            boolean owner = ctx.id() == PartyContext.P0;
            Network<Secret> net = Network.build(be, owner ? Init.draw(Architecture.A, 1)
                    : ModelWeights.placeholder(Architecture.A));
            return new Trainer<>(net.model(), new OwnedDataFeed<>(be, TRAIN, TEST), cfg, new Trainer.Listener() {
                @Override
                public void onEpoch(EpochMetrics m) {
                    // no batch is in flight at any party while P0 measures
                    await(between);
                    if (owner) {
                        heap[m.epoch()] = liveHeap();
                        counters.add(m.counters());
                    }
                    await(between);
                }
            }).run();
        });
        return new Run(heap, counters);
    }

    /** The same training in the fixed-point twin, with a hook that keeps leakPerBatch bytes after every batch. */
    static long[] twin(int leakPerBatch) {
        long[] heap = new long[EPOCHS + 1];
        List<long[]> kept = new ArrayList<>();
        PlainFixedBackend be = new PlainFixedBackend(1, 1);
        TrainConfig cfg = TrainConfig.defaults().withEpochs(EPOCHS).withBatch(BATCH).withLrShift(7).withLoss(Loss.ASM).withTestEachEpoch(false).withEvaluate(false);
        Network<long[]> net = Network.build(be, Init.draw(Architecture.A, 1));
        new Trainer<>(net.model(), new OwnedDataFeed<>(be, TRAIN, TEST), cfg, new Trainer.Listener() {
            @Override
            public void onEpoch(EpochMetrics m) {
                heap[m.epoch()] = liveHeap();
            }
        }).onBatch((next, n) -> {
            if (leakPerBatch > 0) kept.add(new long[leakPerBatch / 8]);
        }).run();
        assertThat(kept).hasSize(leakPerBatch > 0 ? EPOCHS * IMAGES / BATCH : 0);
        return heap;
    }

    @Test
    void secureEpochsKeepNothingOfTheirBatchesAndEveryPartyReportsItsResidentMemory() {
        Run run = secure();
        long growth = run.heapAfterEpoch()[EPOCHS] - run.heapAfterEpoch()[1];
        assertThat(growth).as("live heap growth from epoch 1 to epoch " + EPOCHS + " (bytes)").isLessThan(MARGIN);
        assertThat(run.counters()).hasSize(EPOCHS);
        for (Map<String, Number> c : run.counters()) {
            for (int p = 0; p < 3; p++) {
                double peak = c.get("peak_rss_mb_P" + p).doubleValue(), now = c.get("rss_mb_P" + p).doubleValue();
                assertThat(peak).as("peak RSS of P" + p).isGreaterThan(0);
                assertThat(now).as("RSS of P" + p).isGreaterThan(0).isLessThanOrEqualTo(peak);
            }
        }
    }

    @Test
    void theMeasurementSeesABatchsWorthOfKeptMemory() {
        long[] clean = twin(0), leaking = twin(128 << 10);
        assertThat(clean[EPOCHS] - clean[1]).as("twin without a leak (bytes)").isLessThan(MARGIN);
        // 2 epochs × 8 batches × 128 KiB = 2 MiB kept: above the margin
        assertThat(leaking[EPOCHS] - leaking[1]).as("twin keeping 128 KiB per batch (bytes)").isGreaterThan(MARGIN);
    }
}
