package io.securenn;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of the files' contents (model files, share files, checkpoints check their own integrity with it). */
public final class Hashes {
    private Hashes() {}

    /** SHA-256 of data[0..len). */
    public static byte[] sha256(byte[] data, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, 0, len);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
