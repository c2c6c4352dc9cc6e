package io.securenn.transport.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** Offers the party's one key and certificate, as client and as server, whatever issuers the peer asks for. */
final class OwnKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "self";
    private final TlsIdentity identity;

    OwnKeyManager(TlsIdentity identity) {
        this.identity = identity;
    }

    private String aliasFor(String keyType) {
        return identity.privateKey().getAlgorithm().equalsIgnoreCase(keyType) ? ALIAS : null;
    }

    private String aliasFor(String[] keyTypes) {
        if (keyTypes == null) return null;
        for (String k : keyTypes) if (aliasFor(k) != null) return ALIAS;
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return aliasFor(keyType) != null ? new String[] {ALIAS} : null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? new X509Certificate[] {identity.certificate()} : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? identity.privateKey() : null;
    }
}
