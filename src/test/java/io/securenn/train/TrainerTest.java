package io.securenn.train;

import io.securenn.data.Dataset;
import io.securenn.model.Architecture;
import io.securenn.nn.Backend;
import io.securenn.nn.FloatBackend;
import io.securenn.model.Init;
import io.securenn.nn.Loss;
import io.securenn.model.ModelWeights;
import io.securenn.model.Network;
import io.securenn.nn.PlainFixedBackend;
import io.securenn.testutil.SyntheticMnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrainerTest {
    private static final Dataset TRAIN = SyntheticMnist.make("train", 512, 1), TEST = SyntheticMnist.make("test", 200, 2);

    private static <V> List<EpochMetrics> train(Backend<V> be, Architecture arch, Loss loss, int epochs, int lrShift, long seed) {
        Network<V> net = Network.build(be, Init.draw(arch, seed));
        TrainConfig cfg = TrainConfig.defaults().withEpochs(epochs).withBatch(32).withLrShift(lrShift).withLoss(loss).withSeed(seed);
        return new Trainer<>(net.model(), new OwnedDataFeed<>(be, TRAIN, TEST), cfg, null).run();
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void sgdOnNetworkADecreasesTheLossAndLearns(Loss loss) {
        int k = loss == Loss.ASM ? 4 : 3;
        List<EpochMetrics> twin = train(new PlainFixedBackend(5), Architecture.A, loss, 3, k, 5);
        List<EpochMetrics> ref = train(new FloatBackend(), Architecture.A, loss, 3, k, 5);
        for (List<EpochMetrics> run : List.of(twin, ref)) {
            assertThat(run).hasSize(3);
            assertThat(run.get(2).loss()).as(loss + " loss decreases").isLessThan(run.get(0).loss());
            assertThat(run.get(2).testAccuracy()).as(loss + " learns the synthetic task").isGreaterThan(0.6);
            assertThat(run.get(0).batches()).isEqualTo(512 / 32);
        }
        // the twin tracks the float reference (same weights, same batches)
        assertThat(twin.get(2).loss()).isCloseTo(ref.get(2).loss(), org.assertj.core.api.Assertions.within(0.02));
        assertThat(twin.get(0).counters()).containsKeys("truncations", "truncation_failures", "expected_truncation_failures");
        assertThat(twin.get(0).counters().get("truncation_failures").longValue()).isZero();
        assertThat(twin.get(0).counters().get("truncations").longValue()).isPositive();
    }

    @Test
    void sameSeedSameRun() {
        List<EpochMetrics> a = train(new PlainFixedBackend(9), Architecture.D, Loss.SQUARE, 1, 4, 9);
        List<EpochMetrics> b = train(new PlainFixedBackend(9), Architecture.D, Loss.SQUARE, 1, 4, 9);
        assertThat(a.get(0).loss()).isEqualTo(b.get(0).loss());
        assertThat(a.get(0).testAccuracy()).isEqualTo(b.get(0).testAccuracy());
    }

    @Test
    void lastPartialBatchIsDroppedAndOrderIsAPermutation() {
        int[] p = Trainer.order(3, 1, 1000);
        assertThat(p).hasSize(1000);
        assertThat(java.util.Arrays.stream(p).sorted().toArray()).isEqualTo(java.util.stream.IntStream.range(0, 1000).toArray());
        assertThat(Trainer.order(3, 2, 1000)).isNotEqualTo(p);
        Dataset odd = TRAIN.limit(100);
        PlainFixedBackend be = new PlainFixedBackend(1);
        Network<long[]> net = Network.build(be, Init.draw(Architecture.A, 1));
        var m = new Trainer<>(net.model(), new OwnedDataFeed<>(be, odd, TEST), TrainConfig.defaults().withEpochs(1).withBatch(32).withTestEachEpoch(false), null).run();
        assertThat(m.get(0).batches()).isEqualTo(3);
    }

    @Test
    void accuracyAggregateEqualsCountingRevealedPredictions() {
        PlainFixedBackend be = new PlainFixedBackend(1);
        ModelWeights w = Init.draw(Architecture.B, 4);
        Network<long[]> net = Network.build(be, w);
        OwnedDataFeed<long[]> feed = new OwnedDataFeed<>(be, TRAIN, TEST);
        double agg = Evaluator.accuracy(net.model(), feed, 64); // 200 = 3·64 + 8: a partial last batch
        Evaluator.Predictions p = Evaluator.predict(net, feed, 64);
        assertThat(agg).isEqualTo(p.accuracy());
        long total = 0;
        for (long[] row : p.confusion()) for (long v : row) total += v;
        assertThat(total).isEqualTo(200);
        // predictions are argmax of the logits (ties to the lower class)
        long[] z = net.forward(be.importData(TEST.imagesFixed(new int[] {0}), Backend.Encoding.FIXED), 1, false);
        int best = 0;
        for (int i = 1; i < 10; i++) if (z[i] > z[best]) best = i;
        assertThat(p.predicted()[0]).isEqualTo(best);
    }
}
