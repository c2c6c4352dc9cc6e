package io.securenn.train;

import io.securenn.model.Architecture;
import io.securenn.nn.Loss;

/**
 * The training defaults of a model, from what the user chose (null: not given). A trains with plain SGD at 2^-4
 * (square loss; ASM 2^-7, the paper's). B, C and D train with the measured recipe (docs/NETWORKS.md §10): momentum
 * 1 − 2^-{@value #MOMENTUM} and the schedule {@value #SCHEDULE}, C with the hinge loss unless a loss is given.
 * Imported models train with the same momentum and decay but a warm-up of {@value #WARMUP_BATCHES} batches instead of a
 * whole epoch ({@value #IMPORTED_SCHEDULE}), so that a short training (one epoch) is not all warm-up
 * (docs/MODELS.md: a PyTorch LeNet reaches 91.55 % after one epoch of the B–D schedule, 97.62 % with this one). Giving a learning rate, a schedule or a momentum replaces the recipe; ASM always
 * trains plainly (at 2^-5 but for A).
 */
public final class Recipe {
    private Recipe() {}

    /**
     * B's, C's and D's defaults, as measured in docs/NETWORKS.md §10 (15 epochs: B with the square loss 99.04 %,
     * the paper 98.77 %; C with the hinge loss 99.33 %, the paper 99.15 %; D 98.52 %, plain SGD 96.71 %). With 3
     * bits of momentum a shift K moves like plain SGD at 2^-(K-3): after a warm-up epoch they run at the
     * equivalent of 2^-1, then decay twice.
     */
    public static final String SCHEDULE = "1:7,2:4,9:5,13:6";
    public static final int MOMENTUM = 3;
    /** The warm-up of imported models, in batches of epoch 1. */
    public static final int WARMUP_BATCHES = 64;
    /** Imported models' schedule: {@link #SCHEDULE} with the warm-up epoch cut to {@value #WARMUP_BATCHES} batches. */
    public static final String IMPORTED_SCHEDULE = "1:7,1+64:4,9:5,13:6";

    /** The resolved choices: the loss, the first epoch's shift K (with no schedule: throughout), the config. */
    public record Choice(Loss loss, int lrShift, boolean scheduled, boolean recipe, TrainConfig config) {}

    /** Whether the measured recipe applies: not A, a non-ASM loss and no rate or momentum option of the user's. */
    static boolean applies(Architecture a, Loss l, Integer lrShift, String lrSchedule, Integer momentumShift) {
        return a != Architecture.A && l != Loss.ASM && lrShift == null && lrSchedule == null && momentumShift == null;
    }

    /** The default learning-rate shift K. */
    public static int defaultLrShift(Architecture a, Loss l) {
        if (l == Loss.ASM) return a == Architecture.A ? 7 : 5;
        return a == Architecture.A ? 4 : 5;
    }

    /**
     * Resolves the user's choices for {@code arch} (null: an imported model) on top of {@code base} (which gives
     * epochs, batch, seed and the rest).
     */
    public static Choice resolve(TrainConfig base, Architecture arch, String loss, Integer lrShift, String lrSchedule,
                                 Integer momentumShift) {
        boolean cRecipeLoss = loss == null && arch == Architecture.C
                && applies(arch, Loss.HINGE, lrShift, lrSchedule, momentumShift);
        Loss lossFn = cRecipeLoss ? Loss.HINGE : Loss.parse(loss == null ? "square" : loss);
        boolean recipe = applies(arch, lossFn, lrShift, lrSchedule, momentumShift);
        String schedule = recipe ? (arch == null ? IMPORTED_SCHEDULE : SCHEDULE) : lrSchedule;
        int momentum = recipe ? MOMENTUM : momentumShift == null ? 0 : momentumShift;
        int k = lrShift != null ? lrShift : defaultLrShift(arch, lossFn);
        LrSchedule s = schedule == null ? LrSchedule.constant(k) : LrSchedule.parse(schedule, k);
        return new Choice(lossFn, k, schedule != null, recipe, base.withLoss(lossFn).withSchedule(s).withMomentumShift(momentum));
    }
}
