package io.securenn.train;

import io.securenn.SecureNnException;
import io.securenn.data.Dataset;
import io.securenn.model.Architecture;
import io.securenn.nn.Backend;
import io.securenn.nn.FloatBackend;
import io.securenn.model.Init;
import io.securenn.nn.Loss;
import io.securenn.model.Network;
import io.securenn.nn.PlainFixedBackend;
import io.securenn.testutil.SyntheticMnist;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Learning-rate schedules and momentum in whole training runs (twin and float64 reference). */
class LrScheduleTest {
    private static final Dataset TRAIN = SyntheticMnist.make("train", 512, 1), TEST = SyntheticMnist.make("test", 200, 2);

    @Test
    void parsesAndLooksUpByEpoch() {
        LrSchedule s = LrSchedule.parse("2:4, 5:6", 5);
        assertThat(s.describe()).isEqualTo("1:5,2:4,5:6");
        assertThat(List.of(s.shiftAt(1), s.shiftAt(2), s.shiftAt(4), s.shiftAt(5), s.shiftAt(99))).containsExactly(5, 4, 4, 6, 6);
        assertThat(s.isConstant()).isFalse();
        assertThat(LrSchedule.parse("1:7", 5).describe()).isEqualTo("1:7");
        assertThat(LrSchedule.parse("1:7", 5).isConstant()).isTrue();
        assertThat(LrSchedule.constant(3).shiftAt(10)).isEqualTo(3);
    }

    @Test
    void parsesAndLooksUpByBatchWithinAnEpoch() {
        LrSchedule s = LrSchedule.parse("1+4:4, 2+3:5", 7);
        assertThat(s.describe()).isEqualTo("1:7,1+4:4,2+3:5");
        assertThat(List.of(s.shiftAt(1, 0), s.shiftAt(1, 3), s.shiftAt(1, 4), s.shiftAt(1, 99), s.shiftAt(2), s.shiftAt(2, 2),
                s.shiftAt(2, 3), s.shiftAt(3))).containsExactly(7, 7, 4, 4, 4, 4, 5, 5);
        assertThat(List.of(s.changesWithin(1), s.changesWithin(2), s.changesWithin(3))).containsExactly(true, true, false);
        assertThat(LrSchedule.parse("2:4", 5).changesWithin(1)).isFalse();
        assertThat(LrSchedule.parse(s.describe(), 9)).isEqualTo(s);
    }

    @Test
    void badSchedulesAreUsageErrorsNamingTheOption() {
        for (String bad : List.of("", "3", "2:x", "3:4,2:5", "0:4", "2:31", "2:-1", "1:4:5", "2:4,", "1+x:4", "1+-1:4",
                "1+2+3:4", "1+4:4,1+2:5", "2:4,1+9:5", "+3:4")) {
            assertThatThrownBy(() -> LrSchedule.parse(bad, 5)).as("'" + bad + "'")
                    .isInstanceOf(SecureNnException.class).hasMessageContaining("--lr-schedule");
        }
    }

    private static <V> List<EpochMetrics> train(Backend<V> be, TrainConfig cfg) {
        Network<V> net = Network.build(be, Init.draw(Architecture.A, cfg.seed()));
        return new Trainer<>(net.model(), new OwnedDataFeed<>(be, TRAIN, TEST), cfg, null).run();
    }

    private static TrainConfig cfg(LrSchedule s, int momentum) {
        return TrainConfig.defaults().withEpochs(3).withBatch(32).withSchedule(s).withSeed(4).withMomentumShift(momentum);
    }

    @Test
    void aConstantScheduleIsTheFixedRateAndAChangeTakesEffectInItsEpoch() {
        List<EpochMetrics> fixed = train(new PlainFixedBackend(4), TrainConfig.defaults().withEpochs(3).withBatch(32).withLrShift(4).withSeed(4));
        List<EpochMetrics> same = train(new PlainFixedBackend(4), cfg(LrSchedule.parse("1:4", 9), 0));
        List<EpochMetrics> changed = train(new PlainFixedBackend(4), cfg(LrSchedule.parse("1:4,3:8", 9), 0));
        for (int e = 0; e < 3; e++) assertThat(same.get(e).loss()).isEqualTo(fixed.get(e).loss());
        // epochs 1-2 are the same computation; epoch 3's rate is 16 times smaller
        assertThat(changed.get(1).loss()).isEqualTo(fixed.get(1).loss());
        assertThat(changed.get(2).loss()).isNotEqualTo(fixed.get(2).loss());
    }

    @Test
    void aChangeWithinAnEpochTakesEffectAtItsBatch() {
        // 512 images in batches of 32: 16 batches per epoch (0..15)
        List<EpochMetrics> base = train(new PlainFixedBackend(4), cfg(LrSchedule.parse("2:8", 4), 0));
        List<EpochMetrics> pastTheEnd = train(new PlainFixedBackend(4), cfg(LrSchedule.parse("1+16:8", 4), 0));
        List<EpochMetrics> midway = train(new PlainFixedBackend(4), cfg(LrSchedule.parse("1+8:8", 4), 0));
        List<EpochMetrics> constant = train(new PlainFixedBackend(4), cfg(LrSchedule.constant(4), 0));
        for (int e = 0; e < 3; e++) assertThat(pastTheEnd.get(e).loss()).as("epoch %d", e + 1).isEqualTo(base.get(e).loss());
        // the first 8 batches are those of the constant rate, the rest are not
        assertThat(midway.get(0).loss()).isNotEqualTo(constant.get(0).loss()).isNotEqualTo(base.get(0).loss());
        assertThat(base.get(0).loss()).isEqualTo(constant.get(0).loss());
    }

    @Test
    void momentumLearnsAndTheTwinTracksTheFloatReference() {
        TrainConfig c = cfg(LrSchedule.parse("1:6,3:7", 6), 2);
        assertThat(c.sgd(1).momentum()).isTrue();
        assertThat(c.sgd(3).lrShift()).isEqualTo(7);
        List<EpochMetrics> twin = train(new PlainFixedBackend(4), c);
        List<EpochMetrics> ref = train(new FloatBackend(), c);
        for (List<EpochMetrics> run : List.of(twin, ref)) {
            assertThat(run.get(2).loss()).isLessThan(run.get(0).loss());
            assertThat(run.get(2).testAccuracy()).isGreaterThan(0.6);
        }
        assertThat(twin.get(2).loss()).isCloseTo(ref.get(2).loss(), within(0.02));
        assertThat(twin.get(0).counters().get("truncation_failures").longValue()).isZero();
        // momentum differs from plain SGD at the same rate
        List<EpochMetrics> plain = train(new PlainFixedBackend(4), cfg(LrSchedule.parse("1:6,3:7", 6), 0));
        assertThat(plain.get(0).loss()).isNotEqualTo(twin.get(0).loss());
    }

    @Test
    void momentumShiftIsRangeChecked() {
        assertThatThrownBy(() -> cfg(LrSchedule.constant(5), 11)).isInstanceOf(SecureNnException.class)
                .hasMessageContaining("--momentum-shift");
    }
}
