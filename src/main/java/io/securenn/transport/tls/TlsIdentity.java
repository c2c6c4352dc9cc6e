package io.securenn.transport.tls;

import io.securenn.SecureNnException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;

/**
 * A party's TLS identity: an EC P-256 key pair and a self-signed X.509 certificate. Peers pin the certificate
 * itself (no CA, no host names), so the certificate's only job is to carry the public key.
 */
public record TlsIdentity(PrivateKey privateKey, X509Certificate certificate) {

    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(3650);
    private static final String SIGNATURE = "SHA256withECDSA";

    /** A fresh key pair and self-signed certificate for party n (CN "securenn P<n>"). */
    public static TlsIdentity generate(int party, Duration validity) {
        return generate("CN=securenn P" + party, validity);
    }

    /** A fresh key pair and self-signed certificate for serving client k (CN "securenn client <k>"). */
    public static TlsIdentity generateClient(int k, Duration validity) {
        return generate("CN=securenn client " + k, validity);
    }

    private static TlsIdentity generate(String subject, Duration validity) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name(subject);
            // start an hour back so that peers whose clocks run a little behind accept it at once
            Instant from = Instant.now().minus(Duration.ofHours(1));
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(63, new SecureRandom()),
                    Date.from(from), Date.from(from.plus(validity)), name, kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(kp.getPrivate());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer));
            return new TlsIdentity(kp.getPrivate(), cert);
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new SecureNnException(SecureNnException.Kind.INTERNAL, "cannot generate a key pair: " + e.getMessage(), e);
        }
    }

    public static TlsIdentity generate(int party) {
        return generate(party, DEFAULT_VALIDITY);
    }

    /**
     * Checks that the private key belongs to the certificate (sign and verify a test message), so a mixed-up key
     * file is reported here rather than as a refused handshake at the peers.
     */
    public void checkMatches(String what) {
        try {
            byte[] probe = "securenn key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(SIGNATURE);
            s.initSign(privateKey);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(SIGNATURE);
            v.initVerify(certificate.getPublicKey());
            v.update(probe);
            if (v.verify(sig)) return;
        } catch (GeneralSecurityException e) {
            // falls through to the error below
        }
        throw new SecureNnException(SecureNnException.Kind.TLS_IDENTITY,
                what + ": the private key does not belong to the certificate");
    }

    /** SHA-256 of the certificate's DER encoding, in hex: what operators compare when they exchange certificates. */
    public static String fingerprint(X509Certificate c) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
