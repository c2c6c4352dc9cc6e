package io.securenn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads small input files (configs, certificates, keys, model files) whole, refusing any longer than a documented
 * limit: a file named by mistake ({@code /dev/zero}, a data set, a disk image) must end in a one-line error, not
 * in running out of memory.
 */
public final class InputFiles {
    private InputFiles() {}

    /**
     * The bytes of file, at most maxBytes of them.
     *
     * @param what names the file in error messages ("cluster config", "certificate of P1", …)
     */
    public static byte[] read(Path file, int maxBytes, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(maxBytes);
            if (b.length == maxBytes && in.read() >= 0) {
                throw SecureNnException.badInput(what + ": " + file + " is larger than " + size(maxBytes)
                        + " (is it the right file?)");
            }
            return b;
        } catch (IOException e) {
            throw SecureNnException.badInput(what + ": cannot read " + file + ": " + AtomicFiles.describe(e));
        }
    }

    static String size(long bytes) {
        if (bytes % (1 << 20) == 0) return bytes / (1 << 20) + " MiB";
        if (bytes % (1 << 10) == 0) return bytes / (1 << 10) + " KiB";
        return bytes + " bytes";
    }
}
