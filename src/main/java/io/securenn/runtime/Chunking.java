package io.securenn.runtime;

/**
 * How big vectors are cut so that no temporary grows with the whole batch: a message of longs travels in frames
 * of at most {@link #frameLongs()} values, and element-wise protocols do their local work (and send their Z_67
 * vectors) {@link #elements()} elements at a time. The pieces of one message are sent one after another without
 * a receive in between, so they travel in the same round, and the payload bytes are those of the whole vector:
 * chunking changes neither bytes nor rounds, only how much memory a step needs at once.
 *
 * <p>The sizes are fixed by the code (all three parties must cut alike, and the version check at set-up covers
 * the code); tests shrink them with {@link #override} to exercise many pieces on small inputs.
 */
public final class Chunking {
    private Chunking() {}

    /** Default longs per frame: 512 KiB of payload. */
    public static final int DEFAULT_FRAME_LONGS = 1 << 16;
    /** Default elements per chunk: PrivateCompare's 64 Z_67 values per element make 1 MiB vectors. */
    public static final int DEFAULT_ELEMENTS = 1 << 14;

    private static volatile int frameLongs = DEFAULT_FRAME_LONGS;
    private static volatile int elements = DEFAULT_ELEMENTS;

    public static int frameLongs() {
        return frameLongs;
    }

    public static int elements() {
        return elements;
    }

    /** Number of pieces of size at most size that cover n (at least one, so an empty vector is still one message). */
    public static int pieces(long n, int size) {
        return n <= 0 ? 1 : (int) ((n + size - 1) / size);
    }

    /** Test-only: smaller pieces until the returned scope closes (no protocol may be running across the change). */
    public static Restore override(int elementsPerChunk, int longsPerFrame) {
        if (elementsPerChunk < 1 || longsPerFrame < 1) throw new IllegalArgumentException("chunk sizes must be positive");
        Restore o = new Restore(elements, frameLongs);
        elements = elementsPerChunk;
        frameLongs = longsPerFrame;
        return o;
    }

    /** Restores the sizes that were in force before {@link #override}. */
    public static final class Restore implements AutoCloseable {
        private final int elements, frameLongs;

        private Restore(int elements, int frameLongs) {
            this.elements = elements;
            this.frameLongs = frameLongs;
        }

        @Override
        public void close() {
            Chunking.elements = elements;
            Chunking.frameLongs = frameLongs;
        }
    }
}
