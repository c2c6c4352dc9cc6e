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
            new MatMulProbe()
            // issue 3 adds: relu, drelu, msb, shareconvert, privatecompare, maxpool, argmax, dmaxpool, div
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
