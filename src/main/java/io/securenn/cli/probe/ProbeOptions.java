package io.securenn.cli.probe;

import io.securenn.protocol.maxpool.MaxPool;

/**
 * Options of one probe run that every party must agree on.
 *
 * @param raw    values are signed 64-bit ring elements rather than fixed-point decimals
 * @param window group size for operations over consecutive groups (maxpool, argmax, dmaxpool); null when not given
 * @param form   MaxPool's comparison order for those operations; null when not given (then tournament)
 */
public record ProbeOptions(boolean raw, Integer window, MaxPool.Form form) {

    public ProbeOptions(boolean raw, Integer window) {
        this(raw, window, null);
    }

    /** The form to use: the one given, else the tournament. */
    public MaxPool.Form formOrDefault() {
        return form == null ? MaxPool.Form.TOURNAMENT : form;
    }

    /** The text that enters the session's job hash. */
    public String agreed() {
        return "raw=" + raw + ";window=" + (window == null ? "-" : window) + ";form=" + (form == null ? "-" : form);
    }
}
