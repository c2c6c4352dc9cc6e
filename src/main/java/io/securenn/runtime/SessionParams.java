package io.securenn.runtime;

import io.securenn.ring.ZpWire;

import java.util.Objects;

/**
 * The protocol settings of one session, which all three parties must share: how Z_67 values travel
 * ({@link #zpWire}), how big vectors are cut ({@link #frameLongs}, {@link #chunkElements}) and which protocol
 * computes DReLU ({@link #dreluForm}). Every
 * {@link PartyContext} carries its session's ({@link PartyContext#params()}), and the protocols read them there;
 * nothing about them is process-wide, so sessions with different settings can run side by side in one JVM.
 * {@link Session#establish} puts all of them into the job hash the parties exchange at set-up, so parties started
 * with different settings refuse each other before any protocol message.
 *
 * <p>Chunking: a message of longs travels in frames of at most {@link #frameLongs} values, and element-wise
 * protocols do their local work (and send their Z_67 vectors) {@link #chunkElements} elements at a time. The pieces
 * of one message are sent one after another without a receive in between, so they travel in the same round, and
 * the payload bytes are those of the whole vector: chunking changes neither bytes nor rounds, only how much memory
 * a step needs at once. Production runs use the defaults; tests shrink them to exercise many pieces on small inputs.
 *
 * @param zpWire        the Z_67 wire format (default {@link ZpWire#PACKED7}; the CLI takes {@code -Dsecurenn.zpWire})
 * @param frameLongs    longs per frame of a message of longs (default 2^16: 512 KiB of payload)
 * @param chunkElements elements per piece of element-wise work (default 2^14: PrivateCompare's 64 Z_67 values per
 *                      element make 1 MiB vectors)
 * @param dreluForm     the DReLU protocol (default {@link DReluForm#MASKED}; the CLI takes {@code -Dsecurenn.drelu})
 * @param weightMaskBudget the most bytes of stationary weight masks a party keeps in an inference session that
 *                      runs several batches (docs/PROTOCOLS.md, "Stationary weight masks": P0 and P1 keep the opened
 *                      F, P2 keeps V, 8 bytes per weight value): such a session masks its model's weights once when
 *                      the model's parameters take at most this many bytes, else per product as the paper does; 0:
 *                      never. Whether a session runs several batches with fixed weights is its job's business
 *                      ({@code serve}, {@code infer} of more than one batch; never training or {@code bench
 *                      networks}); the budget is the same at the three parties (default {@link
 *                      #DEFAULT_WEIGHT_MASK_BUDGET}; the CLI takes {@code -Dsecurenn.weightMasks=off|on|MB})
 */
public record SessionParams(ZpWire zpWire, int frameLongs, int chunkElements, DReluForm dreluForm,
                            long weightMaskBudget) {
    /** Default longs per frame: 512 KiB of payload. */
    public static final int DEFAULT_FRAME_LONGS = 1 << 16;
    /** Default elements per chunk: PrivateCompare's 64 Z_67 values per element make 1 MiB vectors. */
    public static final int DEFAULT_CHUNK_ELEMENTS = 1 << 14;
    /**
     * Default budget of stationary weight masks: 32 MiB per party, i.e. models of up to 4 194 304 parameters
     * (A–D, SqueezeNet 1.1's 1.2 M; not DenseNet-121's 8 M or ResNet-50's 25.5 M, whose masks would add 64 and
     * 204 MB to each party).
     */
    public static final long DEFAULT_WEIGHT_MASK_BUDGET = 1L << 25;
    /** The system property the command line reads: {@code off}, {@code on} (the default budget) or a budget in MB. */
    public static final String WEIGHT_MASKS_PROPERTY = "securenn.weightMasks";

    public SessionParams {
        Objects.requireNonNull(zpWire, "zpWire");
        Objects.requireNonNull(dreluForm, "dreluForm");
        if (frameLongs < 1 || chunkElements < 1) {
            throw new IllegalArgumentException("chunk sizes must be positive, got " + frameLongs + " longs per frame, "
                    + chunkElements + " elements per chunk");
        }
        if (weightMaskBudget < 0) throw new IllegalArgumentException("the weight mask budget must not be negative");
    }

    /** With the default weight mask budget. */
    public SessionParams(ZpWire zpWire, int frameLongs, int chunkElements, DReluForm dreluForm) {
        this(zpWire, frameLongs, chunkElements, dreluForm, DEFAULT_WEIGHT_MASK_BUDGET);
    }

    /**
     * 7-bit packed Z_67 values, 2^16 longs per frame, 2^14 elements per chunk, the masked-reveal DReLU, weight masks
     * kept once per session up to 32 MiB.
     */
    public static SessionParams defaults() {
        return new SessionParams(ZpWire.PACKED7, DEFAULT_FRAME_LONGS, DEFAULT_CHUNK_ELEMENTS, DReluForm.MASKED,
                DEFAULT_WEIGHT_MASK_BUDGET);
    }

    public SessionParams withZpWire(ZpWire wire) {
        return new SessionParams(wire, frameLongs, chunkElements, dreluForm, weightMaskBudget);
    }

    public SessionParams withFrameLongs(int longs) {
        return new SessionParams(zpWire, longs, chunkElements, dreluForm, weightMaskBudget);
    }

    public SessionParams withChunkElements(int elements) {
        return new SessionParams(zpWire, frameLongs, elements, dreluForm, weightMaskBudget);
    }

    public SessionParams withDReluForm(DReluForm form) {
        return new SessionParams(zpWire, frameLongs, chunkElements, form, weightMaskBudget);
    }

    /** With this budget of stationary weight masks, bytes per party (0: weights are masked per product, always). */
    public SessionParams withWeightMaskBudget(long bytes) {
        return new SessionParams(zpWire, frameLongs, chunkElements, dreluForm, bytes);
    }

    /**
     * Whether a session that runs several batches with the same weights masks them once: the model's parameters,
     * 8 bytes each, fit the budget (a function of public values only, so the three parties decide alike).
     */
    public boolean masksWeightsOnce(long parameters) {
        return parameters > 0 && parameters <= weightMaskBudget / 8;
    }

    /**
     * Parses a value of {@value #WEIGHT_MASKS_PROPERTY}: null, blank or {@code on}: the default budget; {@code off}:
     * 0; a whole number: a budget of that many MB (10^6 bytes).
     */
    public static long weightMaskBudgetFromProperty(String v) {
        if (v == null || v.isBlank() || v.strip().equalsIgnoreCase("on")) return DEFAULT_WEIGHT_MASK_BUDGET;
        if (v.strip().equalsIgnoreCase("off")) return 0;
        try {
            long mb = Long.parseLong(v.strip());
            if (mb >= 0 && mb <= 1L << 30) return mb * 1_000_000L;
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("-D" + WEIGHT_MASKS_PROPERTY + " must be 'on', 'off' or a budget in MB, got '" + v + "'");
    }

    /** What the job hash covers: every field, so that parties agree on the values their contexts actually use. */
    String hashText() {
        return "zpWire=" + zpWire.name() + "\nframeLongs=" + frameLongs + "\nchunkElements=" + chunkElements
                + "\ndreluForm=" + dreluForm.name() + "\nweightMaskBudget=" + weightMaskBudget;
    }
}
