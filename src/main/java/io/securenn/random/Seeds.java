package io.securenn.random;

import java.security.SecureRandom;

/** Fresh key material from the operating system's CSPRNG. Keys are never written to disk or logged. */
public final class Seeds {
    private Seeds() {}

    private static final SecureRandom RNG = new SecureRandom();

    public static byte[] fresh(int n) {
        byte[] b = new byte[n];
        RNG.nextBytes(b);
        return b;
    }

    /** A stream under a fresh random key (a party's private stream, or a data owner's dealing stream). */
    public static Prg freshPrg() {
        return new Prg(fresh(16), fresh(16));
    }
}
