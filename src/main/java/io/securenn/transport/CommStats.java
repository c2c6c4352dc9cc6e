package io.securenn.transport;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Exact communication counters of one party: payload bytes and frames sent to and received from each peer,
 * and the round clock (the longest chain of dependent messages this party has seen or sent).
 * Framing overhead is counted apart so that payload bytes can be checked against the cost formulas.
 */
public final class CommStats {
    private final AtomicLongArray sent = new AtomicLongArray(3);
    private final AtomicLongArray received = new AtomicLongArray(3);
    private final AtomicLongArray framesSent = new AtomicLongArray(3);
    /** Hand-off counters of DATA frames (see {@link #handoffs()}). */
    private final java.util.concurrent.atomic.AtomicLong directWrites = new java.util.concurrent.atomic.AtomicLong(),
            queuedWrites = new java.util.concurrent.atomic.AtomicLong(), inlineReceives = new java.util.concurrent.atomic.AtomicLong(),
            readyReceives = new java.util.concurrent.atomic.AtomicLong(), wokenReceives = new java.util.concurrent.atomic.AtomicLong();
    private volatile int clock;
    /** Deepest message received: a send depends only on what was received before it. */
    private int receivedDepth;

    void onSend(int peer, int payloadBytes) {
        sent.addAndGet(peer, payloadBytes);
        framesSent.incrementAndGet(peer);
    }

    void onReceive(int peer, int payloadBytes) {
        received.addAndGet(peer, payloadBytes);
    }

    /**
     * Depth of a message sent now: one more than the deepest message received. Messages a party sends one after
     * another without receiving in between do not wait for each other, so they travel in the same round.
     */
    synchronized int tickSend() {
        return receivedDepth + 1;
    }

    synchronized void observe(int depth) {
        if (depth > receivedDepth) receivedDepth = depth;
        if (depth > clock) clock = depth;
    }

    /** Records that this party sent a message of the given depth (its own clock moves with it). */
    synchronized void sentAt(int depth) {
        if (depth > clock) clock = depth;
    }

    public long bytesSent() {
        return sent.get(0) + sent.get(1) + sent.get(2);
    }

    public long bytesSentTo(int peer) {
        return sent.get(peer);
    }

    public long bytesReceived() {
        return received.get(0) + received.get(1) + received.get(2);
    }

    public long framesSent() {
        return framesSent.get(0) + framesSent.get(1) + framesSent.get(2);
    }

    public int clock() {
        return clock;
    }

    /** A DATA frame written to the connection by the sending thread itself (no other thread woken). */
    public void onDirectWrite() {
        directWrites.incrementAndGet();
    }

    /** A DATA frame handed to a link's writer thread (a hand-off: the writer may have to be woken). */
    public void onQueuedWrite() {
        queuedWrites.incrementAndGet();
    }

    void onInlineReceive() {
        inlineReceives.incrementAndGet();
    }

    void onReadyReceive() {
        readyReceives.incrementAndGet();
    }

    void onWokenReceive() {
        wokenReceives.incrementAndGet();
    }

    /**
     * How this party's DATA frames crossed threads: written by the sending thread / handed to a writer thread;
     * received: read from the connection by the receiving thread itself while it waited, already there when it
     * asked, or delivered by another thread while it waited (a wake-up). {@link #handoffs()} is the sum of the
     * hand-offs, queued writes plus woken receives: what a message costs in thread wake-ups beyond the one the
     * network itself causes.
     */
    public record Handoffs(long directWrites, long queuedWrites, long inlineReceives, long readyReceives,
                           long wokenReceives) {
        public long handoffs() {
            return queuedWrites + wokenReceives;
        }

        public Handoffs minus(Handoffs b) {
            return new Handoffs(directWrites - b.directWrites, queuedWrites - b.queuedWrites,
                    inlineReceives - b.inlineReceives, readyReceives - b.readyReceives, wokenReceives - b.wokenReceives);
        }
    }

    public Handoffs handoffs() {
        return new Handoffs(directWrites.get(), queuedWrites.get(), inlineReceives.get(), readyReceives.get(),
                wokenReceives.get());
    }

    public Snapshot snapshot() {
        return new Snapshot(bytesSent(), bytesReceived(), framesSent(), clock);
    }

    /**
     * Starts a new round epoch: depths restart from 0. Called when a top-level protocol begins, so that its
     * round count is the longest message chain inside it, whatever the parties' clocks were before (P2 does not
     * see the last P0–P1 exchange of a protocol and would otherwise start the next one behind).
     */
    public synchronized void startEpoch() {
        clock = 0;
        receivedDepth = 0;
    }

    public synchronized void reset() {
        for (int i = 0; i < 3; i++) {
            sent.set(i, 0);
            received.set(i, 0);
            framesSent.set(i, 0);
        }
        directWrites.set(0);
        queuedWrites.set(0);
        inlineReceives.set(0);
        readyReceives.set(0);
        wokenReceives.set(0);
        clock = 0;
        receivedDepth = 0;
    }

    /** A point-in-time copy; differences of two snapshots give the cost of what ran between them. */
    public record Snapshot(long bytesSent, long bytesReceived, long frames, int clock) {
        public Snapshot minus(Snapshot before) {
            return new Snapshot(bytesSent - before.bytesSent, bytesReceived - before.bytesReceived,
                    frames - before.frames, clock - before.clock);
        }
    }
}
