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
 */
public record SessionParams(ZpWire zpWire, int frameLongs, int chunkElements, DReluForm dreluForm) {
    /** Default longs per frame: 512 KiB of payload. */
    public static final int DEFAULT_FRAME_LONGS = 1 << 16;
    /** Default elements per chunk: PrivateCompare's 64 Z_67 values per element make 1 MiB vectors. */
    public static final int DEFAULT_CHUNK_ELEMENTS = 1 << 14;

    public SessionParams {
        Objects.requireNonNull(zpWire, "zpWire");
        Objects.requireNonNull(dreluForm, "dreluForm");
        if (frameLongs < 1 || chunkElements < 1) {
            throw new IllegalArgumentException("chunk sizes must be positive, got " + frameLongs + " longs per frame, "
                    + chunkElements + " elements per chunk");
        }
    }

    /** 7-bit packed Z_67 values, 2^16 longs per frame, 2^14 elements per chunk, the masked-reveal DReLU. */
    public static SessionParams defaults() {
        return new SessionParams(ZpWire.PACKED7, DEFAULT_FRAME_LONGS, DEFAULT_CHUNK_ELEMENTS, DReluForm.MASKED);
    }

    public SessionParams withZpWire(ZpWire wire) {
        return new SessionParams(wire, frameLongs, chunkElements, dreluForm);
    }

    public SessionParams withFrameLongs(int longs) {
        return new SessionParams(zpWire, longs, chunkElements, dreluForm);
    }

    public SessionParams withChunkElements(int elements) {
        return new SessionParams(zpWire, frameLongs, elements, dreluForm);
    }

    public SessionParams withDReluForm(DReluForm form) {
        return new SessionParams(zpWire, frameLongs, chunkElements, form);
    }

    /** What the job hash covers: every field, so that parties agree on the values their contexts actually use. */
    String hashText() {
        return "zpWire=" + zpWire.name() + "\nframeLongs=" + frameLongs + "\nchunkElements=" + chunkElements
                + "\ndreluForm=" + dreluForm.name();
    }
}
