package io.securenn.cli.probe;

/**
 * Options of one probe run that every party must agree on.
 *
 * @param raw    values are signed 64-bit ring elements rather than fixed-point decimals
 * @param window group size for operations over consecutive groups (maxpool, argmax, …); null when not given
 */
public record ProbeOptions(boolean raw, Integer window) {
    /** The text that enters the session's job hash. */
    public String agreed() {
        return "raw=" + raw + ";window=" + (window == null ? "-" : window);
    }
}
