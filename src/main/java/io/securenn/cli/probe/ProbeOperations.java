package io.securenn.cli.probe;

import io.securenn.SecureNnException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The table of {@code securenn op} operations: add a new operation here and nowhere else. */
public final class ProbeOperations {
    private ProbeOperations() {}

    private static final List<ProbeOperation> ALL = List.of(
            new MulProbe(),
            new MatMulProbe(),
            new ReluProbe(),
            new DReluProbe(),
            new MsbProbe(),
            new ShareConvertProbe(),
            new PrivateCompareProbe(),
            new PoolProbe(PoolProbe.Output.MAX),
            new PoolProbe(PoolProbe.Output.ARGMAX),
            new PoolProbe(PoolProbe.Output.ONE_HOT),
            new DivProbe()
    );

    private static final Map<String, ProbeOperation> BY_NAME = new LinkedHashMap<>();

    static {
        for (ProbeOperation op : ALL) {
            if (BY_NAME.put(op.name(), op) != null) throw new IllegalStateException("duplicate op " + op.name());
        }
    }

    public static List<ProbeOperation> all() {
        return ALL;
    }

    public static ProbeOperation byName(String name) {
        ProbeOperation op = BY_NAME.get(name);
        if (op == null) {
            throw SecureNnException.usage("unknown operation '" + name + "' (known: " + String.join(", ", BY_NAME.keySet()) + ")");
        }
        return op;
    }

    /** For operations that take no --window. */
    static void noWindow(ProbeOperation op, ProbeOptions o) {
        if (o.window() != null) throw SecureNnException.usage("--window is not used by " + op.name());
    }

    /** For operations that take no --form. */
    static void noForm(ProbeOperation op, ProbeOptions o) {
        if (o.form() != null) throw SecureNnException.usage("--form is not used by " + op.name());
    }

    /** For operations on ring elements by nature: their values are raw integers, and --raw says so. */
    static void requireRaw(ProbeOperation op, ProbeOptions o) {
        if (!o.raw()) {
            throw SecureNnException.usage(op.name() + " works on ring elements: its values are signed 64-bit "
                    + "integers, not fixed-point decimals (add --raw)");
        }
    }

    /** "row r, column c" of the value at index i of a matrix with the given shape (1-based, as in the file). */
    static String at(Shape s, int i) {
        return "row " + (i / s.cols() + 1) + ", column " + (i % s.cols() + 1);
    }

    /**
     * Refuses a value with |x| ≥ 2^bits (raw): the operation's domain. The message gives the bound in the
     * input's own encoding, and the position, never the value.
     */
    static void requireBelow(ProbeOperation op, long[] x, Shape s, int bits, ProbeOptions o, String why) {
        long bound = 1L << bits;
        for (int i = 0; i < x.length; i++) {
            if (x[i] <= -bound || x[i] >= bound) {
                String dom = o.raw() ? "|x| < 2^" + bits
                        : "|x| < 2^" + (bits - io.securenn.ring.FixedPoint.FRAC_BITS) + " (2^" + bits + " in fixed point)";
                throw SecureNnException.badInput(op.name() + ": the value at " + at(s, i) + " is outside the domain "
                        + dom + ": " + why);
            }
        }
    }

    /** Names for picocli's completion and help. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> n = new ArrayList<>();
            for (ProbeOperation op : ALL) n.add(op.name());
            return n.iterator();
        }
    }
}
