package io.securenn.transport.tls;

import io.securenn.AtomicFiles;
import io.securenn.InputFiles;
import io.securenn.SecureNnException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * PEM files of identities: certificates ("CERTIFICATE", public, exchanged between hosts) and unencrypted PKCS#8
 * EC private keys ("PRIVATE KEY", written owner-only and atomically, never leaving their host).
 */
public final class Pem {
    private Pem() {}

    private static final Logger log = LoggerFactory.getLogger(Pem.class);
    private static final String CERT = "CERTIFICATE";
    private static final String KEY = "PRIVATE KEY";

    static String encode(String label, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + b64 + "\n-----END " + label + "-----\n";
    }

    public static String certificate(X509Certificate c) {
        return encode(CERT, TlsIdentity.der(c));
    }

    public static void writeCertificate(Path file, X509Certificate c, boolean overwrite) {
        AtomicFiles.write(file, certificate(c).getBytes(StandardCharsets.US_ASCII), false, overwrite);
    }

    public static void writePrivateKey(Path file, PrivateKey key, boolean overwrite) {
        byte[] der = key.getEncoded();
        byte[] pem = encode(KEY, der).getBytes(StandardCharsets.US_ASCII);
        try {
            AtomicFiles.writePrivate(file, pem, overwrite);
        } finally {
            Arrays.fill(der, (byte) 0);
            Arrays.fill(pem, (byte) 0);
        }
    }

    public static X509Certificate readCertificate(Path file, String what) {
        byte[] b = readFile(file, what);
        try {
            var cf = CertificateFactory.getInstance("X.509");
            var c = cf.generateCertificate(new ByteArrayInputStream(b));
            if (!(c instanceof X509Certificate x)) throw new CertificateException("not an X.509 certificate");
            return x;
        } catch (CertificateException e) {
            throw SecureNnException.badInput(what + ": " + file + " is not a certificate (PEM or DER)");
        }
    }

    public static PrivateKey readPrivateKey(Path file, String what) {
        warnIfOpen(file, what);
        byte[] b = readFile(file, what);
        byte[] der = null;
        try {
            der = decode(new String(b, StandardCharsets.US_ASCII), KEY);
            if (der == null) {
                throw SecureNnException.badInput(what + ": " + file
                        + " holds no unencrypted PKCS#8 private key (\"-----BEGIN PRIVATE KEY-----\")");
            }
            try {
                return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                throw SecureNnException.badInput(what + ": " + file + " is not an EC private key (make one with: securenn keys)");
            }
        } finally {
            Arrays.fill(b, (byte) 0);
            if (der != null) Arrays.fill(der, (byte) 0);
        }
    }

    static byte[] decode(String text, String label) {
        String begin = "-----BEGIN " + label + "-----", end = "-----END " + label + "-----";
        int i = text.indexOf(begin), j = text.indexOf(end);
        if (i < 0 || j < i) return null;
        try {
            return Base64.getMimeDecoder().decode(text.substring(i + begin.length(), j));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Longest certificate or key file read (real ones are under 1 KiB). */
    static final int MAX_BYTES = 1 << 20;

    private static byte[] readFile(Path file, String what) {
        return InputFiles.read(file, MAX_BYTES, what);
    }

    private static void warnIfOpen(Path file, String what) {
        try {
            if (!Files.getFileStore(file).supportsFileAttributeView("posix")) return;
            var perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("{}: {} is readable by other users (chmod 600 it)", what, file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // the read that follows reports a missing or unreadable file
        }
    }
}
