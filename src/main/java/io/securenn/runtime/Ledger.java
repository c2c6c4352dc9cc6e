package io.securenn.runtime;

import io.securenn.transport.CommStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bytes sent and rounds, per label, for one party.
 *
 * <p>Protocol scopes ({@link #open}) nest: an inner protocol's cost is counted under its own label and again in
 * every enclosing one. The outermost protocol scope starts a round epoch, so its rounds are exactly the longest
 * chain of messages inside it. Aggregate scopes ({@link #openAggregate}, for layers and whole passes) add up
 * the bytes and the rounds of the top-level protocols run inside them (sequential composition).
 *
 * <p>Each party sees only the messages it sends or receives; the protocol's round count is the maximum over the
 * three parties' ledgers (P0's and P1's agree for every protocol that ends with a P0–P1 exchange).
 */
public final class Ledger {
    private static final Logger log = LoggerFactory.getLogger(Ledger.class);

    private final int party;
    private final CommStats stats;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private int protocolDepth;
    private long topLevelRounds;

    Ledger(int party, CommStats stats) {
        this.party = party;
        this.stats = stats;
    }

    /** Opens a protocol scope. */
    public Scope open(String label) {
        if (protocolDepth++ == 0) stats.startEpoch();
        return new Scope(label, stats.snapshot(), true, topLevelRounds);
    }

    /** Opens an aggregate scope (a layer, a pass, an iteration): not a protocol itself. */
    public Scope openAggregate(String label) {
        return new Scope(label, stats.snapshot(), false, topLevelRounds);
    }

    public synchronized Map<String, Entry> entries() {
        return new LinkedHashMap<>(entries);
    }

    public synchronized Entry get(String label) {
        return entries.getOrDefault(label, new Entry(0, 0, 0));
    }

    /** Sum of the rounds of all top-level protocols so far. */
    public synchronized long totalRounds() {
        return topLevelRounds;
    }

    public synchronized void clear() {
        entries.clear();
    }

    /** Totals of one label: calls, bytes this party sent, and rounds summed over calls. */
    public record Entry(long calls, long bytesSent, long rounds) {
        Entry plus(Entry o) {
            return new Entry(calls + o.calls, bytesSent + o.bytesSent, rounds + o.rounds);
        }
    }

    public final class Scope implements AutoCloseable {
        private final String label;
        private final CommStats.Snapshot start;
        private final boolean protocol;
        private final long roundsAtStart;

        private Scope(String label, CommStats.Snapshot start, boolean protocol, long roundsAtStart) {
            this.label = label;
            this.start = start;
            this.protocol = protocol;
            this.roundsAtStart = roundsAtStart;
        }

        @Override
        public void close() {
            CommStats.Snapshot now = stats.snapshot();
            long bytes = now.bytesSent() - start.bytesSent();
            long rounds;
            boolean topLevel;
            synchronized (Ledger.this) {
                if (protocol) {
                    rounds = now.clock() - start.clock();
                    topLevel = --protocolDepth == 0;
                    if (topLevel) topLevelRounds += rounds;
                } else {
                    rounds = topLevelRounds - roundsAtStart;
                    topLevel = true;
                }
                entries.merge(label, new Entry(1, bytes, rounds), Entry::plus);
            }
            // sizes and counts only: a trace of what ran, never of what was computed
            if (topLevel && log.isDebugEnabled()) {
                log.debug("P{}: {} {}: {} bytes sent, {} rounds", party, protocol ? "protocol" : "step", label, bytes,
                        rounds);
            }
        }
    }
}
