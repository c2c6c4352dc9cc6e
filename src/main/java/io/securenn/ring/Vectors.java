package io.securenn.ring;

import jdk.incubator.vector.ByteVector;

/**
 * Whether the byte-vector kernels (one ring element's 64 Z_67 values in one 512-bit vector) should run: the JVM
 * must have the module jdk.incubator.vector (the launcher adds it; a bare {@code java -jar} does not) and the
 * hardware 512-bit vectors (elsewhere they would be emulated, slower than the scalar twins). The system properties
 * {@code securenn.scalar=true} or {@code securenn.vector=false} turn them off. Callers keep their vector code in
 * separate classes, so that nothing loads the incubator classes when this is false.
 */
public final class Vectors {
    private Vectors() {}

    public static final boolean BYTE_512 = detect();

    private static boolean detect() {
        if (Boolean.getBoolean("securenn.scalar") || "false".equals(System.getProperty("securenn.vector"))) return false;
        try {
            return Probe.preferredByteLanes() >= 64;
        } catch (Throwable t) {   // module jdk.incubator.vector not added to this JVM
            return false;
        }
    }

    private static final class Probe {
        static int preferredByteLanes() {
            return ByteVector.SPECIES_PREFERRED.length();
        }
    }
}
