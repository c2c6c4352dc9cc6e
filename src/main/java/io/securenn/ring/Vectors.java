package io.securenn.ring;

import jdk.incubator.vector.ByteVector;

/**
 * Which byte-vector kernels should run: the JVM must have the module jdk.incubator.vector (the launcher adds it; a
 * bare {@code java -jar} does not), and the hardware vectors of the kernel's width (elsewhere they would be
 * emulated, far slower than the scalar twins). A kernel comes in a scalar form and vector forms: one element's 64
 * Z_67 values in one 512-bit vector ({@link Form#V512}, AVX-512), or in two 256-bit halves ({@link Form#V256},
 * AVX2). The system properties {@code securenn.scalar=true} or {@code securenn.vector=false} turn them off. Callers
 * keep their vector code in separate classes, so that nothing loads the incubator classes when no vector form runs.
 */
public final class Vectors {
    private Vectors() {}

    /** The JVM's preferred number of byte lanes (64 with AVX-512, 32 with AVX2), or 0 where vectors are off. */
    public static final int BYTE_LANES = detect();

    public static final boolean BYTE_512 = BYTE_LANES >= 64;
    /** 256-bit byte vectors in hardware (true with AVX-512 too). */
    public static final boolean BYTE_256 = BYTE_LANES >= 32;

    /** A kernel's implementation. */
    public enum Form { SCALAR, V256, V512 }

    /**
     * The form a kernel with a 512-bit and a 256-bit vector twin runs with this many preferred byte lanes: the
     * 512-bit one where the hardware has it, the 256-bit one on 256-bit hardware where it beats the scalar twin there
     * ({@code v256Wins}: what JMH measured on AVX2, recorded at each kernel), else the scalar twin.
     */
    public static Form pick(int byteLanes, boolean v256Wins) {
        if (byteLanes >= 64) return Form.V512;
        return byteLanes >= 32 && v256Wins ? Form.V256 : Form.SCALAR;
    }

    private static int detect() {
        if (Boolean.getBoolean("securenn.scalar") || "false".equals(System.getProperty("securenn.vector"))) return 0;
        try {
            return Probe.preferredByteLanes();
        } catch (Throwable t) {   // module jdk.incubator.vector not added to this JVM
            return 0;
        }
    }

    private static final class Probe {
        static int preferredByteLanes() {
            return ByteVector.SPECIES_PREFERRED.length();
        }
    }
}
