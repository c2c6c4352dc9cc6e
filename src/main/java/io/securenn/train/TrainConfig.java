package io.securenn.train;

import io.securenn.SecureNnException;
import io.securenn.nn.Loss;
import io.securenn.nn.Sgd;

/**
 * Training parameters. Learning rate 2^-K (per epoch, {@link LrSchedule}) and 1/batch are applied by truncation (batch a power of two);
 * the last partial batch of an epoch is dropped. The seed drives the initial weights (model owner), the batch
 * order (data owner) and, in the twin, the simulated truncation shares, each from its own derived stream.
 *
 * @param progressEvery reveal the running loss/accuracy aggregates every that many batches (0: only per epoch)
 * @param metrics       compute and reveal per-epoch loss and training accuracy (aggregates only)
 * @param testEachEpoch evaluate test accuracy after every epoch (otherwise only after the last)
 * @param momentumShift heavy-ball momentum μ = 1 − 2^-momentumShift ({@link Sgd}); 0: plain SGD
 * @param masterBits    SGD updates master weights with that many more fractional bits ({@link Sgd}); 0: none
 * @param evaluate      evaluate the test accuracy at all (false: never, e.g. for runs that only track the loss)
 */
public record TrainConfig(int epochs, int batch, LrSchedule schedule, Loss loss, long seed, boolean metrics,
                          boolean testEachEpoch, int progressEvery, boolean evaluate, int momentumShift,
                          int masterBits) {
    public TrainConfig(int epochs, int batch, LrSchedule schedule, Loss loss, long seed, boolean metrics,
                       boolean testEachEpoch, int progressEvery, boolean evaluate) {
        this(epochs, batch, schedule, loss, seed, metrics, testEachEpoch, progressEvery, evaluate, 0, 0);
    }

    public TrainConfig(int epochs, int batch, LrSchedule schedule, Loss loss, long seed, boolean metrics,
                       boolean testEachEpoch, int progressEvery, boolean evaluate, int momentumShift) {
        this(epochs, batch, schedule, loss, seed, metrics, testEachEpoch, progressEvery, evaluate, momentumShift, 0);
    }

    public TrainConfig(int epochs, int batch, int lrShift, Loss loss, long seed, boolean metrics,
                       boolean testEachEpoch, int progressEvery) {
        this(epochs, batch, lrShift, loss, seed, metrics, testEachEpoch, progressEvery, true);
    }

    public TrainConfig(int epochs, int batch, int lrShift, Loss loss, long seed, boolean metrics,
                       boolean testEachEpoch, int progressEvery, boolean evaluate) {
        this(epochs, batch, constantShift(lrShift), loss, seed, metrics, testEachEpoch, progressEvery, evaluate);
    }

    private static LrSchedule constantShift(int lrShift) {
        if (lrShift < 0 || lrShift > 30) throw SecureNnException.usage("--lr-shift must be in 0..30, got " + lrShift);
        return LrSchedule.constant(lrShift);
    }

    public TrainConfig {
        if (epochs <= 0) throw SecureNnException.usage("--epochs must be positive, got " + epochs);
        if (batch <= 0 || Integer.bitCount(batch) != 1) {
            throw SecureNnException.usage("--batch must be a power of two, got " + batch);
        }
        if (momentumShift < 0 || momentumShift > 10) {
            throw SecureNnException.usage("--momentum-shift must be in 0..10, got " + momentumShift);
        }
        if (masterBits < 0 || masterBits > 16) throw SecureNnException.usage("--master-bits must be in 0..16, got " + masterBits);
        for (int e = 1; e <= epochs; e++) Sgd.of(schedule.shiftAt(e), batch, momentumShift, masterBits); // validates
        if (progressEvery < 0) throw SecureNnException.usage("progress interval must be non-negative");
    }

    /** The SGD step of an epoch (1-based), with that epoch's learning rate. */
    public Sgd sgd(int epoch) {
        return Sgd.of(schedule.shiftAt(epoch), batch, momentumShift, masterBits);
    }
}
