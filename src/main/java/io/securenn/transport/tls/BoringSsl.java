package io.securenn.transport.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.securenn.SecureNnException;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import java.security.cert.X509Certificate;
import java.util.Map;

/**
 * BoringSSL's TLS through netty-tcnative: netty builds the context and the {@link SSLEngine}; nothing else of
 * netty (event loops, pipelines) is used, {@link TlsWire} drives the engine over the socket. All netty references
 * live in this class, so a JVM on the JDK provider never loads them (and a platform without the native library
 * falls back cleanly).
 */
final class BoringSsl {
    private BoringSsl() {}

    private static volatile Boolean available;
    private static volatile String why = "";

    /** True if netty-tcnative's BoringSSL library loads on this platform. */
    static boolean available() {
        Boolean a = available;
        if (a == null) {
            synchronized (BoringSsl.class) {
                if (available == null) {
                    try {
                        boolean ok = OpenSsl.isAvailable() && OpenSsl.versionString() != null
                                && OpenSsl.versionString().contains("BoringSSL");
                        if (!ok) why = OpenSsl.unavailabilityCause() == null ? "not BoringSSL"
                                : firstLine(OpenSsl.unavailabilityCause());
                        available = ok;
                    } catch (LinkageError e) {
                        // netty or tcnative missing from the class path, or the native library refused
                        why = firstLine(e);
                        available = false;
                    }
                }
                a = available;
            }
        }
        return a;
    }

    /** Why BoringSSL is not available (empty if it is). */
    static String unavailability() {
        available();
        return why;
    }

    private static String firstLine(Throwable t) {
        String m = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    static TlsEngines engines(TlsIdentity identity, Map<Integer, X509Certificate> accepted, boolean client) {
        // The key through a KeyManager: given as key and certificate, netty stores them in a PKCS#12 key store, whose
        // PBKDF2 (10 000 HMAC rounds) cost each context tens of milliseconds and the client's JIT a second of C2
        OwnKeyManager keys = new OwnKeyManager(identity);
        SslContextBuilder b = client
                ? SslContextBuilder.forClient().keyManager(keys)
                : SslContextBuilder.forServer(keys).clientAuth(ClientAuth.REQUIRE);
        SslContext context;
        try {
            context = b.sslProvider(SslProvider.OPENSSL)
                    .protocols(TlsEngines.PROTOCOLS)
                    .trustManager(new PinnedTrustManager(accepted))
                    // peers are pinned certificates, not host names (netty 4.2 checks host names by default)
                    .endpointIdentificationAlgorithm(null)
                    .build();
        } catch (SSLException e) {
            throw new SecureNnException(SecureNnException.Kind.INTERNAL, "cannot set up BoringSSL: " + e.getMessage(), e);
        }
        return new TlsEngines() {
            @Override
            SSLEngine newEngine() {
                return context.newEngine(ByteBufAllocator.DEFAULT);
            }

            @Override
            boolean direct() {
                return true;
            }

            @Override
            String name() {
                return "BoringSSL";
            }
        };
    }
}
