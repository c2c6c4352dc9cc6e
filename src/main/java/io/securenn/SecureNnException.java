package io.securenn;

/**
 * The project's one error type: a message fit for one line on stderr (never a secret, share or key in it)
 * and the documented exit code of its kind.
 */
public class SecureNnException extends RuntimeException {

    /** Exit codes, documented in docs/ERRORS.md. */
    public enum Kind {
        USAGE(2), BAD_INPUT(3), PEER_LOST(4), PEER_MISBEHAVED(5), TLS_IDENTITY(6), INTERNAL(70);

        public final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }
    }

    private final Kind kind;

    public SecureNnException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SecureNnException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static SecureNnException badInput(String message) {
        return new SecureNnException(Kind.BAD_INPUT, message);
    }

    public static SecureNnException usage(String message) {
        return new SecureNnException(Kind.USAGE, message);
    }
}
