package io.securenn.train;

import io.securenn.SecureNnException;
import io.securenn.nn.Loss;
import io.securenn.nn.Sgd;

/**
 * Training parameters. Learning rate 2^-K (per epoch, {@link LrSchedule}) and 1/batch are applied by truncation (batch a power of two);
 * the last partial batch of an epoch is dropped. The seed drives the initial weights (model owner), the batch
 * order (data owner) and, in the twin, the simulated truncation shares, each from its own derived stream.
 *
 * <p>Start from {@link #defaults()} and change what differs: {@code TrainConfig.defaults().withEpochs(1).withLoss(Loss.HINGE)}.
 * Each field is checked on its own when set; {@link #validated()} checks the combination (the SGD steps of every
 * epoch) once all are set.
 *
 * @param epochs        epochs to train (default {@value #DEFAULT_EPOCHS})
 * @param batch         examples per SGD step, a power of two (default {@value #DEFAULT_BATCH})
 * @param schedule      the learning-rate shift per epoch (default: 2^-{@value #DEFAULT_LR_SHIFT} throughout)
 * @param loss          the loss at the logits (default square)
 * @param seed          initial weights, batch order, the twin's truncation shares (default 1)
 * @param metrics       compute and reveal per-epoch loss and training accuracy (aggregates only; default true)
 * @param testEachEpoch evaluate test accuracy after every epoch, otherwise only after the last (default true)
 * @param progressEvery reveal the running loss/accuracy aggregates every that many batches (0, the default: only per epoch)
 * @param evaluate      evaluate the test accuracy at all (false: never, e.g. for runs that only track the loss; default true)
 * @param momentumShift heavy-ball momentum μ = 1 − 2^-momentumShift ({@link Sgd}); 0, the default: plain SGD
 * @param masterBits    SGD updates master weights with that many more fractional bits ({@link Sgd}); 0, the default: none
 */
public record TrainConfig(int epochs, int batch, LrSchedule schedule, Loss loss, long seed, boolean metrics,
                          boolean testEachEpoch, int progressEvery, boolean evaluate, int momentumShift,
                          int masterBits) {
    public static final int DEFAULT_EPOCHS = 15, DEFAULT_BATCH = 128, DEFAULT_LR_SHIFT = 4;

    public TrainConfig {
        if (epochs <= 0) throw SecureNnException.usage("--epochs must be positive, got " + epochs);
        if (batch <= 0 || Integer.bitCount(batch) != 1) {
            throw SecureNnException.usage("--batch must be a power of two, got " + batch);
        }
        if (schedule == null || loss == null) throw new IllegalArgumentException("schedule and loss are required");
        if (momentumShift < 0 || momentumShift > 10) {
            throw SecureNnException.usage("--momentum-shift must be in 0..10, got " + momentumShift);
        }
        if (masterBits < 0 || masterBits > 16) throw SecureNnException.usage("--master-bits must be in 0..16, got " + masterBits);
        if (progressEvery < 0) throw SecureNnException.usage("progress interval must be non-negative");
    }

    /** 15 epochs of batch 128, square loss, plain SGD at 2^-4, seed 1, metrics and a test evaluation after every epoch. */
    public static TrainConfig defaults() {
        return new TrainConfig(DEFAULT_EPOCHS, DEFAULT_BATCH, LrSchedule.constant(DEFAULT_LR_SHIFT), Loss.SQUARE, 1, true,
                true, 0, true, 0, 0);
    }

    public TrainConfig withEpochs(int v) {
        return new TrainConfig(v, batch, schedule, loss, seed, metrics, testEachEpoch, progressEvery, evaluate, momentumShift, masterBits);
    }

    public TrainConfig withBatch(int v) {
        return new TrainConfig(epochs, v, schedule, loss, seed, metrics, testEachEpoch, progressEvery, evaluate, momentumShift, masterBits);
    }

    public TrainConfig withSchedule(LrSchedule v) {
        return new TrainConfig(epochs, batch, v, loss, seed, metrics, testEachEpoch, progressEvery, evaluate, momentumShift, masterBits);
    }

    /** The same learning rate 2^-k in every epoch. */
    public TrainConfig withLrShift(int k) {
        if (k < 0 || k > 30) throw SecureNnException.usage("--lr-shift must be in 0..30, got " + k);
        return withSchedule(LrSchedule.constant(k));
    }

    public TrainConfig withLoss(Loss v) {
        return new TrainConfig(epochs, batch, schedule, v, seed, metrics, testEachEpoch, progressEvery, evaluate, momentumShift, masterBits);
    }

    public TrainConfig withSeed(long v) {
        return new TrainConfig(epochs, batch, schedule, loss, v, metrics, testEachEpoch, progressEvery, evaluate, momentumShift, masterBits);
    }

    public TrainConfig withMetrics(boolean v) {
        return new TrainConfig(epochs, batch, schedule, loss, seed, v, testEachEpoch, progressEvery, evaluate, momentumShift, masterBits);
    }

    public TrainConfig withTestEachEpoch(boolean v) {
        return new TrainConfig(epochs, batch, schedule, loss, seed, metrics, v, progressEvery, evaluate, momentumShift, masterBits);
    }

    public TrainConfig withProgressEvery(int v) {
        return new TrainConfig(epochs, batch, schedule, loss, seed, metrics, testEachEpoch, v, evaluate, momentumShift, masterBits);
    }

    public TrainConfig withEvaluate(boolean v) {
        return new TrainConfig(epochs, batch, schedule, loss, seed, metrics, testEachEpoch, progressEvery, v, momentumShift, masterBits);
    }

    public TrainConfig withMomentumShift(int v) {
        return new TrainConfig(epochs, batch, schedule, loss, seed, metrics, testEachEpoch, progressEvery, evaluate, v, masterBits);
    }

    public TrainConfig withMasterBits(int v) {
        return new TrainConfig(epochs, batch, schedule, loss, seed, metrics, testEachEpoch, progressEvery, evaluate, momentumShift, v);
    }

    /** This configuration once the SGD step of every epoch is valid (e.g. master bits within what a step drops). */
    public TrainConfig validated() {
        for (int e = 1; e <= epochs; e++) sgd(e);
        for (int k : schedule.from().values()) Sgd.of(k, batch, momentumShift, masterBits);
        return this;
    }

    /** The SGD step of an epoch (1-based), with that epoch's learning rate. */
    public Sgd sgd(int epoch) {
        return sgd(epoch, 0);
    }

    /** The SGD step of the batch {@code index} (0-based) of an epoch (1-based). */
    public Sgd sgd(int epoch, int index) {
        return Sgd.of(schedule.shiftAt(epoch, index), batch, momentumShift, masterBits);
    }
}
