package io.securenn.cli.probe;

import io.securenn.SecureNnException;

import java.util.List;

/**
 * An operation whose protocol starts with ShareConvert (spec §2.5): its input is raw ring elements (--raw), each in
 * ShareConvert's domain x ≠ −1 (2^64 − 1), and its result is written in the given encoding.
 */
abstract class ShareConvertDomainProbe extends UnaryProbe {
    private final Encoding result;

    ShareConvertDomainProbe(String name, String summary, Encoding result) {
        super(name, summary);
        this.result = result;
    }

    @Override
    public final void checkOptions(ProbeOptions o) {
        super.checkOptions(o);
        ProbeOperations.requireRaw(this, o);
    }

    @Override
    public final Encoding resultEncoding(ProbeOptions o) {
        return result;
    }

    /** ShareConvert's domain: x ≠ 2^64 − 1. */
    @Override
    public final List<String> checkDomain(long[][] x, Shape[] s, ProbeOptions o) {
        for (int i = 0; i < x[0].length; i++) {
            if (x[0][i] == -1L) {
                throw SecureNnException.badInput(name() + ": the value at " + ProbeOperations.at(s[0], i) + " is -1 "
                        + "(2^64 - 1), outside ShareConvert's domain (x != 2^64 - 1)");
            }
        }
        return List.of();
    }
}
