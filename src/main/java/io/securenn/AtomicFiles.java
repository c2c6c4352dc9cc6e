package io.securenn;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file so that readers see either the old content or the complete new one: the bytes go to a temporary
 * file in the same directory (forced to disk for private keys), which is then renamed over the target.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    public static void write(Path target, byte[] content) {
        write(target, content, false, true);
    }

    /** Owner-only (0600) where the file system has POSIX permissions; the file is never readable by others. */
    public static void writePrivate(Path target, byte[] content, boolean overwrite) {
        write(target, content, true, overwrite);
    }

    /**
     * @param ownerOnly create the file 0600 (where the file system has POSIX permissions)
     * @param overwrite replace an existing target; when false an existing target is an error
     */
    public static void write(Path target, byte[] content, boolean ownerOnly, boolean overwrite) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            if (!overwrite && Files.exists(abs)) {
                throw SecureNnException.badInput(target + " already exists (use --force to replace it)");
            }
            boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
            // a temporary file is 0600 by default: give public files the usual 0644 (the umask still applies)
            FileAttribute<?>[] attrs = !posix ? new FileAttribute<?>[0]
                    : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(ownerOnly ? OWNER_ONLY : PUBLIC)};
            // created with its final permissions: there is no moment where a key is readable by others
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp", attrs);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                var bb = java.nio.ByteBuffer.wrap(content);
                while (bb.hasRemaining()) ch.write(bb);
                // keys are made once and must survive a crash; for results the rename alone gives atomicity,
                // and a sync can stall for seconds on a busy disk
                if (ownerOnly) ch.force(true);
            }
            if (!overwrite && Files.exists(abs)) {
                throw SecureNnException.badInput(target + " already exists (use --force to replace it)");
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (FileAlreadyExistsException e) {
            throw SecureNnException.badInput(target + " already exists (use --force to replace it)");
        } catch (IOException e) {
            throw SecureNnException.badInput("cannot write " + target + ": " + describe(e));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a leftover temporary file is harmless and clearly named
                }
            }
        }
    }

    /** A short reason for an I/O error, without the exception class noise. */
    public static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file or directory";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.NotDirectoryException) return "not a directory";
        return m != null ? m : e.getClass().getSimpleName();
    }
}
