package io.securenn.transport;

import io.securenn.SecureNnException;

import java.util.Locale;

/**
 * Which TLS implementation encrypts the links between parties. {@link #AUTO} resolves (in
 * io.securenn.transport.tls) to the system property {@code securenn.tls} if set, else BoringSSL when its native
 * library loads, else the JDK's. {@link #NONE} is plain TCP for benchmarks only: no encryption, no authentication,
 * and refused unless the options say so explicitly ({@link TransportOptions#insecurePlainTcp()}).
 */
public enum TlsProvider {
    AUTO, JDK, BORINGSSL, NONE;

    /** The system property that picks the provider when the options leave it to {@link #AUTO}. */
    public static final String PROPERTY = "securenn.tls";

    /** Parses a provider name as the CLI and the system property spell it: auto, jdk, boringssl or none. */
    public static TlsProvider parse(String s, String what) {
        return switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
            case "auto", "" -> AUTO;
            case "jdk" -> JDK;
            case "boringssl" -> BORINGSSL;
            case "none" -> NONE;
            default -> throw SecureNnException.usage("unknown TLS provider '" + s + "' in " + what
                    + " (choose boringssl, jdk, or none with --insecure-plain-tcp)");
        };
    }

    /** The name as the CLI spells it. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
