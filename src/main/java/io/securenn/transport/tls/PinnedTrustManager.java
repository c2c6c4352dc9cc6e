package io.securenn.transport.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trusts exactly a given set of pinned certificates, each standing for one party: the peer's leaf certificate
 * must be byte-for-byte one of them. No CA, no chain building, no host-name check: a peer is who its pinned
 * certificate says, wherever it connects from. (The TLS handshake itself proves the peer holds that
 * certificate's private key.) Extends {@link X509ExtendedTrustManager} so the JDK adds no checks of its own.
 */
final class PinnedTrustManager extends X509ExtendedTrustManager {

    /** The peer presented a certificate that is not pinned here (or not pinned for the expected party). */
    static final class NotPinned extends CertificateException {
        NotPinned(String message) {
            super(message);
        }
    }

    /** The peer presented its pinned certificate, but that certificate has expired (or is not valid yet). */
    static final class NotValidNow extends CertificateException {
        NotValidNow(String message) {
            super(message);
        }
    }

    private final Map<Integer, X509Certificate> accepted;
    private final Map<Integer, byte[]> encoded = new LinkedHashMap<>();

    /** @param accepted the parties this end will talk to, by id, with their pinned certificates */
    PinnedTrustManager(Map<Integer, X509Certificate> accepted) {
        this.accepted = Map.copyOf(accepted);
        for (var e : accepted.entrySet()) encoded.put(e.getKey(), TlsIdentity.der(e.getValue()));
    }

    /** The party whose pinned certificate this is, or -1. */
    int partyOf(X509Certificate c) {
        byte[] der = TlsIdentity.der(c);
        for (var e : encoded.entrySet()) if (Arrays.equals(e.getValue(), der)) return e.getKey();
        return -1;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) throw new NotPinned("the peer presented no certificate");
        int party = partyOf(chain[0]);
        if (party < 0) {
            throw new NotPinned("the peer's certificate (SHA-256 " + TlsIdentity.fingerprint(chain[0])
                    + ") is not the pinned certificate of " + expected());
        }
        String invalid = validityProblem(chain[0], party);
        if (invalid != null && party >= ServiceListener.CLIENT_BASE) {
            invalid = invalid.replace("P" + party, "client " + (party - ServiceListener.CLIENT_BASE));
        }
        if (invalid != null) throw new NotValidNow(invalid);
    }

    /** Why the pinned certificate of party is not valid now, or null if it is. */
    static String validityProblem(X509Certificate c, int party) {
        try {
            c.checkValidity();
            return null;
        } catch (CertificateExpiredException e) {
            return "the certificate of P" + party + " expired on " + c.getNotAfter().toInstant() + " (make new keys: securenn keys)";
        } catch (CertificateNotYetValidException e) {
            return "the certificate of P" + party + " is not valid before " + c.getNotBefore().toInstant()
                    + " (is this host's clock right?)";
        }
    }

    private String expected() {
        StringBuilder sb = new StringBuilder();
        boolean clients = false;
        for (int p : accepted.keySet().stream().sorted().toList()) {
            if (p >= ServiceListener.CLIENT_BASE) {
                clients = true;
                continue;
            }
            sb.append(sb.isEmpty() ? "" : " or ").append("P").append(p);
        }
        if (clients) sb.append(sb.isEmpty() ? "" : " or ").append("any client in the cluster config");
        return sb.isEmpty() ? "any party" : sb.toString();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return accepted.values().toArray(new X509Certificate[0]);
    }
}
