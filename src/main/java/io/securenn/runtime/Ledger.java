package io.securenn.runtime;

import io.securenn.transport.CommStats;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bytes sent and rounds, per label (protocol or layer), for one party. Scopes nest: an inner protocol's cost
 * is counted under its own label and again inside every enclosing label.
 */
public final class Ledger {
    private final CommStats stats;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    Ledger(CommStats stats) {
        this.stats = stats;
    }

    public Scope open(String label) {
        return new Scope(label, stats.snapshot());
    }

    public synchronized Map<String, Entry> entries() {
        return Map.copyOf(entries);
    }

    public synchronized Entry get(String label) {
        return entries.getOrDefault(label, new Entry(0, 0, 0));
    }

    public synchronized void clear() {
        entries.clear();
    }

    /** Totals of one label: calls, bytes this party sent, and rounds (clock advance) summed over calls. */
    public record Entry(long calls, long bytesSent, long rounds) {
        Entry plus(long bytes, long r) {
            return new Entry(calls + 1, bytesSent + bytes, rounds + r);
        }
    }

    public final class Scope implements AutoCloseable {
        private final String label;
        private final CommStats.Snapshot start;

        private Scope(String label, CommStats.Snapshot start) {
            this.label = label;
            this.start = start;
        }

        @Override
        public void close() {
            CommStats.Snapshot d = stats.snapshot().minus(start);
            synchronized (Ledger.this) {
                entries.merge(label, new Entry(1, d.bytesSent(), d.clock()),
                        (a, b) -> a.plus(b.bytesSent(), b.rounds()));
            }
        }
    }
}
