package io.securenn.train;

import io.securenn.SecureNnException;
import io.securenn.model.Architecture;
import io.securenn.nn.Loss;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One record with named defaults, changed field by field; the combination checked once all are set. */
class TrainConfigTest {
    @Test
    void defaultsAndWithers() {
        TrainConfig d = TrainConfig.defaults();
        assertThat(d.epochs()).isEqualTo(15);
        assertThat(d.batch()).isEqualTo(128);
        assertThat(d.schedule()).isEqualTo(LrSchedule.constant(4));
        assertThat(d.loss()).isEqualTo(Loss.SQUARE);
        assertThat(d.seed()).isEqualTo(1);
        assertThat(d.metrics() && d.testEachEpoch() && d.evaluate()).isTrue();
        assertThat(d.progressEvery() + d.momentumShift() + d.masterBits()).isZero();
        TrainConfig c = d.withEpochs(2).withBatch(32).withLrShift(6).withLoss(Loss.HINGE).withSeed(9).withMetrics(false)
                .withTestEachEpoch(false).withProgressEvery(3).withEvaluate(false).withMomentumShift(2).withMasterBits(4);
        assertThat(c).isEqualTo(new TrainConfig(2, 32, LrSchedule.constant(6), Loss.HINGE, 9, false, false, 3, false, 2, 4));
        assertThat(c.sgd(1).lrShift()).isEqualTo(6);
        // order does not matter: an intermediate combination need not be valid, the final one is checked
        TrainConfig late = d.withMasterBits(5).withMomentumShift(3).withBatch(64);
        assertThat(late.validated()).isSameAs(late);
        assertThatThrownBy(() -> d.withBatch(4).withMomentumShift(3).withMasterBits(5).validated())
                .isInstanceOf(SecureNnException.class).hasMessageContaining("--master-bits");
        assertThatThrownBy(() -> d.withBatch(100)).hasMessageContaining("--batch must be a power of two, got 100");
        assertThatThrownBy(() -> d.withLrShift(31)).hasMessageContaining("--lr-shift must be in 0..30");
    }

    @Test
    void recipes() {
        TrainConfig base = TrainConfig.defaults();
        Recipe.Choice a = Recipe.resolve(base, Architecture.A, null, null, null, null);
        assertThat(a.config().schedule()).isEqualTo(LrSchedule.constant(4));
        assertThat(a.config().momentumShift()).isZero();
        Recipe.Choice c = Recipe.resolve(base, Architecture.C, null, null, null, null);
        assertThat(c.config().loss()).isEqualTo(Loss.HINGE);
        assertThat(c.config().schedule().describe()).isEqualTo(Recipe.SCHEDULE);
        assertThat(c.config().momentumShift()).isEqualTo(Recipe.MOMENTUM);
        Recipe.Choice imported = Recipe.resolve(base, null, null, null, null, null);
        assertThat(imported.recipe()).isTrue();
        assertThat(imported.config().loss()).isEqualTo(Loss.SQUARE);
        assertThat(imported.config().schedule().describe()).isEqualTo(Recipe.IMPORTED_SCHEDULE);
        assertThat(imported.config().schedule().shiftAt(1, Recipe.WARMUP_BATCHES - 1)).isEqualTo(7);
        assertThat(imported.config().schedule().shiftAt(1, Recipe.WARMUP_BATCHES)).isEqualTo(4);
        assertThat(imported.config().schedule().shiftAt(9)).isEqualTo(c.config().schedule().shiftAt(9));
        assertThat(imported.config().momentumShift()).isEqualTo(Recipe.MOMENTUM);
        Recipe.Choice plain = Recipe.resolve(base, null, null, 5, null, null);
        assertThat(plain.recipe()).isFalse();
        assertThat(plain.config().schedule()).isEqualTo(LrSchedule.constant(5));
        assertThat(Recipe.resolve(base, Architecture.B, "asm", null, null, null).config().schedule()).isEqualTo(LrSchedule.constant(5));
    }
}
