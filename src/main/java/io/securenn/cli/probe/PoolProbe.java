package io.securenn.cli.probe;

import io.securenn.SecureNnException;
import io.securenn.protocol.dmaxpool.DMaxPool;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;

import java.util.List;

/**
 * {@code op maxpool | argmax | dmaxpool}: the input's values, in row-major order, cut into consecutive groups of
 * {@code --window k}; per group MaxPool (spec §2.10, {@code --form sequential|tournament}, default tournament)
 * gives the maximum and its 0-based index (ties keep the earlier one), and dmaxpool turns the index into the group's
 * one-hot row with DMaxPool (spec §2.11; k must be a power of two). Domain |x| &lt; 2^61 raw.
 */
final class PoolProbe implements ProbeOperation {

    /** What the operation writes per group. */
    enum Output {
        MAX("maxpool", "maximum of each group of --window K values"),
        ARGMAX("argmax", "0-based index of each group's maximum (ties: first)"),
        ONE_HOT("dmaxpool", "one-hot row of each group's argmax (K = 2^j)");

        final String name, summary;

        Output(String name, String summary) {
            this.name = name;
            this.summary = summary;
        }
    }

    private final Output output;

    PoolProbe(Output output) {
        this.output = output;
    }

    @Override
    public String name() {
        return output.name;
    }

    @Override
    public String summary() {
        return output.summary;
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public void checkOptions(ProbeOptions o) {
        if (o.window() == null) throw SecureNnException.usage(name() + " needs --window K (the group size)");
        if (output == Output.ONE_HOT) DMaxPool.requireSupported(o.window());
    }

    @Override
    public Encoding resultEncoding(ProbeOptions o) {
        return output == Output.MAX ? ProbeOperation.super.resultEncoding(o) : Encoding.BIT;
    }

    @Override
    public Shape resultShape(Shape[] in, ProbeOptions o) {
        checkOptions(o);
        int k = o.window(), size = in[0].size();
        if (size % k != 0) {
            throw SecureNnException.badInput(name() + ": " + size + " value" + (size == 1 ? "" : "s") + " do not cut "
                    + "into groups of --window " + k + " (the count must be a multiple of the window)");
        }
        return new Shape(size / k, output == Output.ONE_HOT ? k : 1);
    }

    @Override
    public List<String> checkDomain(long[][] x, Shape[] s, ProbeOptions o) {
        ProbeOperations.requireBelow(this, x[0], s[0], MaxPool.DOMAIN_BITS, o,
                "differences of two values must stay in DReLU's range");
        return List.of();
    }

    @Override
    public long[] run(PartyContext ctx, long[][] x, Shape[] s, ProbeOptions o, Measured measured) {
        int k = o.window(), count = s[0].size() / k;
        MaxPool.Form form = o.formOrDefault();
        return measured.protocol(() -> {
            MaxPool.Result r = MaxPool.run(ctx, x[0], count, k, form);
            return switch (output) {
                case MAX -> r.max();
                case ARGMAX -> r.index();
                case ONE_HOT -> DMaxPool.run(ctx, r.index(), count, k);
            };
        });
    }

    @Override
    public long formulaBytes(Shape[] in, ProbeOptions o, SessionParams session) {
        int k = o.window(), count = in[0].size() / k;
        long b = MaxPool.bytes(session, count, k, o.formOrDefault());
        return output == Output.ONE_HOT ? b + DMaxPool.bytes(count, k) : b;
    }

    @Override
    public int formulaRounds(Shape[] in, ProbeOptions o, SessionParams session) {
        int r = MaxPool.rounds(session, o.window(), o.formOrDefault());
        return output == Output.ONE_HOT ? r + DMaxPool.rounds() : r;
    }
}
