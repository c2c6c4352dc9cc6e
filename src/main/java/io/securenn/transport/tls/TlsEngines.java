package io.securenn.transport.tls;

import io.securenn.SecureNnException;
import io.securenn.transport.TlsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Map;

/**
 * Where one side of a party's connections gets its TLS engines, for one provider. Every engine speaks TLS 1.3
 * only, authenticates with the party's own P-256 key and certificate ({@link TlsIdentity}) and trusts exactly the
 * pinned certificates given ({@link PinnedTrustManager}); a server engine requires the client's certificate.
 * The JDK's and BoringSSL's engines speak the same TLS 1.3, so parties on different providers connect.
 */
abstract class TlsEngines {
    private static final Logger log = LoggerFactory.getLogger(TlsEngines.class);
    static final String[] PROTOCOLS = {"TLSv1.3"};
    private static volatile boolean fallbackLogged;

    /**
     * The JDK's key-usage limit (jdk.tls.keyLimits, default 2^37 bytes per AES-GCM key), taken over by
     * {@link TlsWire}. Left to itself, a JDK engine whose receiving key reaches the limit asks the peer for a key
     * update and asks again for every further record under the old key until the peer's update arrives; BoringSSL
     * answers such requests only lazily and ends the connection after 32 key updates in a row, so a JDK party
     * and a BoringSSL party would part after about 128 GiB on one link. So the JDK's own limit is lifted (before
     * JSSE reads it, here, when the first set-up resolves its provider) and a JDK-provider link instead asks for
     * one key update per {@code JDK_KEY_LIMIT} bytes it sends: its own sending key is renewed, and the peer
     * renews its sending key in answer (a JDK peer at once, BoringSSL lazily).
     */
    static final long JDK_KEY_LIMIT;
    /** A "KeyUpdate N" entry of jdk.tls.keyLimits (declared before the static block that uses it). */
    private static final java.util.regex.Pattern KEY_UPDATE = java.util.regex.Pattern.compile("KeyUpdate\\s+(2\\^(\\d+)|\\d+)");

    static {
        JDK_KEY_LIMIT = keyLimit(java.security.Security.getProperty("jdk.tls.keyLimits"));
        java.security.Security.setProperty("jdk.tls.keyLimits",
                "AES/GCM/NoPadding KeyUpdate 2^62, ChaCha20-Poly1305 KeyUpdate 2^62");
    }

    /** A fresh engine for one connection. */
    abstract SSLEngine newEngine();

    /** True if the engine is native code and works on direct buffers without copying. */
    abstract boolean direct();

    /** The provider's name, for the logs. */
    abstract String name();

    /**
     * After how many plaintext bytes sent this side asks for a TLS 1.3 key update (0: never; netty does not expose
     * BoringSSL's SSL_key_update, so BoringSSL links only answer their peer's requests).
     */
    long rekeyAfterBytes() {
        return 0;
    }

    /** A connection over ch with a fresh engine of this provider. */
    final TlsWire newWire(java.nio.channels.SocketChannel ch) {
        return new TlsWire(ch, newEngine(), direct(), name(), rekeyAfterBytes());
    }

    /**
     * The provider to use: an explicit choice stays (BoringSSL refused if its library does not load here);
     * {@link TlsProvider#AUTO} takes the system property {@value TlsProvider#PROPERTY} if set, else BoringSSL when
     * its native library loads, else the JDK's (saying so once per JVM, at INFO).
     */
    static TlsProvider resolve(TlsProvider requested) {
        Choice c = choose(requested, System.getProperty(TlsProvider.PROPERTY), BoringSsl::available);
        if (c.fellBack() && !fallbackLogged) {
            fallbackLogged = true;
            log.info("BoringSSL is not available here ({}): using the JDK's TLS (slower)", BoringSsl.unavailability());
        }
        return c.provider();
    }

    /** A resolved provider, and whether it is the JDK's only because BoringSSL does not load. */
    record Choice(TlsProvider provider, boolean fellBack) {}

    /** {@link #resolve}'s rule, with the property and BoringSSL's availability given (tests vary them). */
    static Choice choose(TlsProvider requested, String property, java.util.function.BooleanSupplier boringSslLoads) {
        TlsProvider p = requested == TlsProvider.AUTO ? TlsProvider.parse(property, "-D" + TlsProvider.PROPERTY) : requested;
        if (p == TlsProvider.BORINGSSL && !boringSslLoads.getAsBoolean()) {
            String why = BoringSsl.unavailability();
            throw SecureNnException.usage("the BoringSSL TLS provider is not available here"
                    + (why.isEmpty() ? "" : " (" + why + ")") + ": use --tls-provider jdk");
        }
        if (p != TlsProvider.AUTO) return new Choice(p, false);
        return boringSslLoads.getAsBoolean() ? new Choice(TlsProvider.BORINGSSL, false) : new Choice(TlsProvider.JDK, true);
    }

    /**
     * The engines of provider p (JDK or BORINGSSL).
     *
     * @param accepted the parties this side will talk to, with their pinned certificates
     * @param client   true for the connecting side, false for the accepting side
     */
    static TlsEngines of(TlsProvider p, TlsIdentity identity, Map<Integer, X509Certificate> accepted, boolean client) {
        return switch (p) {
            case JDK -> new Jdk(identity, accepted, client);
            case BORINGSSL -> BoringSsl.engines(identity, accepted, client);
            default -> throw new IllegalArgumentException("no TLS engines for provider " + p);
        };
    }

    /** The JDK's own TLS (SunJSSE). */
    private static final class Jdk extends TlsEngines {
        private final SSLContext context;
        private final boolean client;

        Jdk(TlsIdentity identity, Map<Integer, X509Certificate> accepted, boolean client) {
            this.client = client;
            try {
                context = SSLContext.getInstance("TLSv1.3");
                context.init(new KeyManager[] {new OwnKeyManager(identity)},
                        new TrustManager[] {new PinnedTrustManager(accepted)}, new SecureRandom());
            } catch (GeneralSecurityException e) {
                throw new SecureNnException(SecureNnException.Kind.INTERNAL, "TLS 1.3 is not available: " + e.getMessage(), e);
            }
        }

        @Override
        SSLEngine newEngine() {
            SSLEngine e = context.createSSLEngine();
            e.setEnabledProtocols(PROTOCOLS);
            e.setUseClientMode(client);
            if (!client) e.setNeedClientAuth(true);
            return e;
        }

        @Override
        boolean direct() {
            return false;
        }

        @Override
        String name() {
            return "JDK";
        }

        @Override
        long rekeyAfterBytes() {
            return JDK_KEY_LIMIT;
        }
    }

    /** The smallest "KeyUpdate N" limit (N a number or 2^k) of a jdk.tls.keyLimits value; 2^37 if none. */
    static long keyLimit(String property) {
        long min = 1L << 37;
        if (property == null) return min;
        java.util.regex.Matcher m = KEY_UPDATE.matcher(property);
        while (m.find()) {
            long v;
            try {
                v = m.group(2) != null ? (Integer.parseInt(m.group(2)) >= 62 ? Long.MAX_VALUE : 1L << Integer.parseInt(m.group(2)))
                        : Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                continue;
            }
            if (v > 0) min = Math.min(min, v);
        }
        return min;
    }
}
