package io.securenn.runtime;

import java.util.Locale;

/**
 * Which protocol computes DReLU (and so ReLU, MaxPool, Division and everything above them) in a session: one of
 * its {@link SessionParams}, the same at the three parties and covered by the job hash. Both forms give
 * bit-identical results on their common domain; they differ in bytes, rounds and domain (docs/PROTOCOLS.md,
 * "DReLU").
 */
public enum DReluForm {
    /**
     * The paper's Π_DReLU: ShareConvert(2a) then ComputeMSB; 8 rounds, (104 + 6Z) B per element; domain
     * |a| &lt; 2^62.
     */
    PAPER,
    /**
     * Π_DReLU′, one masked reveal: the holders open x = a + r for a mask r that P2 dealt, Π_PC compares the low 63
     * bits of r (shared) with those of x (public), P2 deals the resulting bit; 4 rounds, (32 + 3Z) B per element;
     * exact for every a in Z_{2^64}. The default.
     */
    MASKED;

    /** The system property the command line reads ({@code paper} or {@code masked}). */
    public static final String PROPERTY = "securenn.drelu";

    /** Parses a value of the system property {@value #PROPERTY} (null or blank: the default, {@link #MASKED}). */
    public static DReluForm fromProperty(String v) {
        if (v == null || v.isBlank()) return MASKED;
        for (DReluForm f : values()) if (f.option().equalsIgnoreCase(v.strip())) return f;
        throw new IllegalArgumentException("-D" + PROPERTY + " must be 'masked' or 'paper', got '" + v + "'");
    }

    /** The value as the command line writes it: {@code paper} or {@code masked}. */
    public String option() {
        return name().toLowerCase(Locale.ROOT);
    }
}
