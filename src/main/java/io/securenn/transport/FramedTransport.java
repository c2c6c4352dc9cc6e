package io.securenn.transport;

import io.securenn.SecureNnException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The transport logic common to every kind of link: sequence numbers, the round clock, byte counters,
 * heartbeats, idle timeouts and abort propagation. A party waiting on one peer still notices an abort from the
 * other, so every surviving party ends naming the same lost party.
 *
 * <p>Inbound frames reach the transport in one of two ways. Links with their own reader threads (in-memory links
 * deliver on the sender's thread) call {@link #deliver}, and {@link #receive} waits on the peer's inbox. Links read
 * through a {@link Poller} ({@link #attachPoller}) have no reader threads: the thread that waits in
 * {@link #receive} reads the links itself (it holds the <em>read role</em>), so the frame it waits for wakes it
 * directly from the socket, and frames of the other peer that arrive meanwhile (an ABORT too) go to their inbox as
 * before. When no thread has read for {@link #DRAIN_IDLE_NANOS} (the party computes, or the server is idle between
 * batches), the transport's drain thread takes the role, so a peer's failure is still noticed at once; it hands
 * the role back when a receiver asks ({@link Poller#wakeup}). The drain thread also sends the heartbeats (links
 * with reader threads have a heartbeat thread instead).
 */
public final class FramedTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(FramedTransport.class);

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_FRAME = 1 << 30;
    /**
     * The drain thread reads only once nobody has read the links for this long: long enough that a party between
     * two steps of a computation rarely finds the role with the drain thread (taking it back costs two wake-ups),
     * short enough that an idle server notices a lost peer at once.
     */
    static final long DRAIN_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** The longest single wait of a receiver before it looks at failures and the idle clock again. */
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final int self;
    private final Link[] links = new Link[3];
    @SuppressWarnings("unchecked")
    private final LinkedBlockingQueue<Frame>[] inbox = new LinkedBlockingQueue[3];
    private final int[] seqOut = new int[3];
    private final int[] seqIn = new int[3];
    // written by reader threads, read by the party's thread and the heartbeat: atomic for visibility
    private final AtomicLongArray lastHeard = new AtomicLongArray(3);
    private final long[] lastWritten = new long[3];
    private final AtomicIntegerArray finished = new AtomicIntegerArray(3);
    private final CommStats stats = new CommStats();
    private final long idleNanos;
    private final long heartbeatNanos;
    private final int maxFrameBytes;
    /** Sends the heartbeats when the links have reader threads; with a poller the drain thread sends them. */
    private ScheduledExecutorService heartbeat;
    private volatile boolean heartbeatsStopped;
    private volatile PeerFailure failure;
    private final Object abortLock = new Object();
    private volatile boolean closed;
    // reading through a poller (null: the links have reader threads)
    private volatile Poller poller;
    private final ReentrantLock readRole = new ReentrantLock();
    private volatile boolean roleWanted;
    private volatile long lastRead;
    private Thread drain;

    public FramedTransport(int self, Duration idleTimeout, int maxFrameBytes) {
        if (self < 0 || self > 2) throw new IllegalArgumentException("party id must be 0, 1 or 2");
        this.self = self;
        this.idleNanos = idleTimeout.toNanos();
        this.heartbeatNanos = Math.max(Duration.ofMillis(20).toNanos(), idleNanos / 5);
        this.maxFrameBytes = maxFrameBytes;
        for (int i = 0; i < 3; i++) inbox[i] = new LinkedBlockingQueue<>();
    }

    public FramedTransport(int self) {
        this(self, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_FRAME);
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** Attaches the link to a peer; call for both peers, then {@link #start()}. */
    public void attach(int peer, Link link) {
        checkPeer(peer);
        links[peer] = link;
        lastHeard.set(peer, System.nanoTime());
    }

    /**
     * Reads the links through this poller instead of reader threads (call before {@link #start()}); the poller
     * hands what it reads to {@link #deliver}, {@link #linkEnded} and {@link #linkFailed}.
     */
    public void attachPoller(Poller p) {
        this.poller = p;
    }

    public void start() {
        // the idle clock starts now, not when the link was attached (set-up of the other links may take a while)
        for (int p = 0; p < 3; p++) if (links[p] != null) lastHeard.set(p, System.nanoTime());
        long period = heartbeatNanos;
        if (poller == null) {
            heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "securenn-heartbeat-P" + self);
                t.setDaemon(true);
                return t;
            });
            heartbeat.scheduleAtFixedRate(this::beat, period, period, TimeUnit.NANOSECONDS);
        } else {
            lastRead = System.nanoTime();
            drain = new Thread(this::drainLoop, "securenn-P" + self + "-drain");
            drain.setDaemon(true);
            drain.start();
        }
    }

    /**
     * The drain thread: reads the links while nobody else does (the party computes, or is idle), so that a
     * peer's ABORT or end of stream is noticed at once, as a reader thread would. It looks every
     * {@link #DRAIN_IDLE_NANOS} whether a receiver read meanwhile; a receiver that wants the role back wakes it.
     */
    private void drainLoop() {
        long wait = Math.min(DRAIN_IDLE_NANOS, heartbeatNanos);
        while (!closed) {
            LockSupport.parkNanos(this, wait);
            if (closed) return;
            beat();
            if (System.nanoTime() - lastRead < DRAIN_IDLE_NANOS || roleWanted || !readRole.tryLock()) continue;
            try {
                while (!closed && !roleWanted) {
                    Poller p = poller;
                    p.poll(wait);
                    beat();
                }
            } catch (RuntimeException e) {
                if (!closed) log.debug("P{}: drain thread: {}", self, e.toString());
            } finally {
                readRole.unlock();
            }
        }
    }

    /**
     * Reads the links for at most nanos as the holder of the read role, if this thread can have it within that
     * time (the drain thread gives it up when asked), unless a frame from peer (if not -1) is filed already. True
     * if it held the role; false if another thread held it all that time.
     */
    private boolean readInline(int peer, long nanos) {
        Poller p = poller;
        roleWanted = true;
        boolean held = readRole.tryLock();
        if (!held) {
            p.wakeup();
            try {
                held = readRole.tryLock(nanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SecureNnException(SecureNnException.Kind.INTERNAL, "interrupted while waiting for the links");
            }
        }
        if (!held) return false;
        try {
            roleWanted = false;
            // the thread that held the role may have read our frame just before it let go: then do not wait
            if (peer < 0 || inbox[peer].isEmpty()) p.poll(nanos);
            lastRead = System.nanoTime();
        } finally {
            readRole.unlock();
        }
        return true;
    }

    private void beat() {
        if (closed || heartbeatsStopped) return;
        long now = System.nanoTime();
        for (int p = 0; p < 3; p++) {
            Link l = links[p];
            // a peer that said BYE may still be waiting in close() for ours: keep it hearing from us
            if (l == null) continue;
            if (now - lastWritten[p] >= heartbeatNanos) {
                try {
                    l.write(new Frame(Frame.HEARTBEAT, 0, 0, new byte[0]));
                    lastWritten[p] = now;
                } catch (RuntimeException e) {
                    // the reader side reports the broken link
                }
            }
        }
    }

    @Override
    public int self() {
        return self;
    }

    @Override
    public CommStats stats() {
        return stats;
    }

    private void checkPeer(int peer) {
        if (peer < 0 || peer > 2 || peer == self) {
            throw new SecureNnException(SecureNnException.Kind.INTERNAL, "P" + self + " has no peer P" + peer);
        }
    }

    @Override
    public void send(int peer, byte[] payload) {
        checkPeer(peer);
        PeerFailure f = failure;
        if (f != null) throw f;
        if (payload.length > maxFrameBytes) {
            throw new SecureNnException(SecureNnException.Kind.INTERNAL,
                    "message of " + payload.length + " bytes exceeds the frame limit of " + maxFrameBytes);
        }
        int depth;
        synchronized (this) {
            depth = stats.tickSend();
            stats.sentAt(depth);
        }
        int seq = ++seqOut[peer];
        stats.onSend(peer, payload.length);
        lastWritten[peer] = System.nanoTime();
        links[peer].write(new Frame(Frame.DATA, seq, depth, payload));
    }

    @Override
    public byte[] receive(int peer) {
        checkPeer(peer);
        final long slice = SLICE_NANOS;
        boolean waited = false;
        while (true) {
            PeerFailure f = failure;
            if (f != null) throw f;
            Frame fr = inbox[peer].poll();
            if (fr == null) {
                if (poller != null) {
                    // read the links on this thread: the frame we wait for wakes us straight from the socket
                    boolean read = readInline(peer, slice);
                    fr = inbox[peer].poll();
                    if (fr != null) {
                        if (read) stats.onInlineReceive();
                        else stats.onWokenReceive();
                        return received(peer, fr);
                    }
                    waited = true;
                } else {
                    try {
                        fr = inbox[peer].poll(slice, TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new SecureNnException(SecureNnException.Kind.INTERNAL, "interrupted while waiting for P" + peer);
                    }
                    if (fr != null) {
                        stats.onWokenReceive();
                        return received(peer, fr);
                    }
                    waited = true;
                }
            } else {
                if (waited) stats.onWokenReceive();
                else stats.onReadyReceive();
                return received(peer, fr);
            }
            if (finished.get(peer) != 0) {
                fail(PeerFailure.lost(peer, "it ended its session while P" + self + " still expected a message"));
            }
            if (System.nanoTime() - lastHeard.get(peer) > idleNanos) {
                long ms = TimeUnit.NANOSECONDS.toMillis(idleNanos);
                fail(PeerFailure.lost(peer, "silent for more than " + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms")
                        + " (idle timeout)"));
            }
        }
    }

    private byte[] received(int peer, Frame fr) {
        stats.observe(fr.depth());
        stats.onReceive(peer, fr.payload().length);
        return fr.payload();
    }

    /**
     * For a link's read that waits for the rest of a frame: false once the session has failed or is closed, or
     * the peer has been silent past the idle timeout (then the session fails naming it, as in {@link #receive}).
     */
    public boolean stillExpecting(int peer) {
        if (failure != null || closed) return false;
        if (System.nanoTime() - lastHeard.get(peer) > idleNanos) {
            long ms = TimeUnit.NANOSECONDS.toMillis(idleNanos);
            fail(PeerFailure.lost(peer, "silent for more than " + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms")
                    + " (idle timeout)"));
            return false;
        }
        return true;
    }

    /**
     * Called by a link's reader while a long frame is still arriving: the peer is alive even though its
     * heartbeats queue up behind that frame, so a slow transfer of a big message is not taken for silence.
     */
    public void heard(int from) {
        lastHeard.set(from, System.nanoTime());
    }

    /** Inbound path, called by a link's reader (or, in memory, by the sending thread). */
    public void deliver(int from, Frame fr) {
        lastHeard.set(from, System.nanoTime());
        switch (fr.type()) {
            case Frame.HEARTBEAT -> { }
            case Frame.DATA -> {
                if (fr.payload().length > maxFrameBytes) {
                    fail(PeerFailure.misbehaved(from, "frame of " + fr.payload().length + " bytes exceeds the limit"));
                    return;
                }
                int expected = seqIn[from] + 1;
                if (fr.seq() != expected) {
                    fail(PeerFailure.misbehaved(from, "out-of-sequence frame (got #" + fr.seq() + ", expected #"
                            + expected + ")"));
                    return;
                }
                seqIn[from] = expected;
                inbox[from].add(fr);
            }
            case Frame.ABORT -> {
                byte[] b = fr.payload();
                int lost = b.length > 0 && b[0] >= 0 && b[0] <= 2 ? b[0] : from;
                SecureNnException.Kind[] kinds = SecureNnException.Kind.values();
                SecureNnException.Kind kind = b.length > 1 && b[1] >= 0 && b[1] < kinds.length
                        ? kinds[b[1]] : SecureNnException.Kind.PEER_LOST;
                String msg = switch (kind) {
                    case BAD_INPUT -> "P" + from + " refused the session: the parties run different versions,"
                            + " commands, job parameters or Z_67 wire formats (or DReLU forms, or weight mask budgets) (start"
                            + " every party with the same command, options, -Dsecurenn.zpWire, -Dsecurenn.drelu and"
                            + " -Dsecurenn.weightMasks)";
                    case PEER_MISBEHAVED -> "peer P" + lost + " misbehaved (reported by P" + from + ")";
                    default -> lost == self
                            ? "P" + from + " aborted the session after a failure of its own"
                            : "lost peer P" + lost + ": reported by P" + from;
                };
                if (kind != SecureNnException.Kind.BAD_INPUT && kind != SecureNnException.Kind.PEER_MISBEHAVED) {
                    kind = SecureNnException.Kind.PEER_LOST;
                }
                failLocally(new PeerFailure(kind, lost, msg), from);
            }
            case Frame.BYE -> {
                finished.set(from, 1);
                synchronized (this) {
                    notifyAll();
                }
            }
            default -> fail(PeerFailure.misbehaved(from, "frame of unknown type " + fr.type()));
        }
    }

    /** Wakes the thread that reads the links (if any reads now), so that it looks at them at once. */
    public void wakePoller() {
        Poller p = poller;
        if (p != null) p.wakeup();
    }

    /** Called by a link when its connection ends or breaks. */
    public void linkEnded(int from, String why) {
        linkFailed(PeerFailure.lost(from, why));
    }

    /**
     * Called by a link whose reader failed (see {@link FrameReader}): misbehaviour always counts; a lost link
     * does not once the peer has said BYE or this transport is closed.
     */
    public void linkFailed(PeerFailure f) {
        if (closed) return;
        if (f.kind() == SecureNnException.Kind.PEER_LOST && finished.get(f.lostParty()) != 0) return;
        fail(f);
    }

    private void fail(PeerFailure f) {
        failLocally(f, -1);
    }

    /** Records the first failure and tells every other live peer which party was lost. */
    private void failLocally(PeerFailure f, int reportedBy) {
        if (failure != null) return; // also ends the echo when an in-memory ABORT comes straight back
        // The ABORTs are queued under abortLock, which shutdown() takes too: once `failure` is visible the party's
        // thread may abort and close the links at once, and an ABORT queued after that would be lost (the third
        // party would then see a closed connection and name the wrong party).
        synchronized (abortLock) {
            synchronized (this) {
                if (failure != null) return;
                failure = f;
                notifyAll();
            }
            log.debug("P{}: session failed ({}); telling the other parties", self, f.getMessage());
            byte[] body = {(byte) f.lostParty(), (byte) f.kind().ordinal()};
            for (int p = 0; p < 3; p++) {
                if (links[p] == null || p == f.lostParty() && f.kind() == SecureNnException.Kind.PEER_LOST
                        || p == reportedBy) continue;
                try {
                    links[p].write(new Frame(Frame.ABORT, 0, 0, body));
                } catch (RuntimeException ignored) {
                    // best effort: that peer may be gone too
                }
            }
        }
    }

    public PeerFailure failure() {
        return failure;
    }

    @Override
    public void abort(PeerFailure f) {
        failLocally(f, -1);
        shutdown();
    }

    /**
     * Ends the session in order: tells every peer BYE, then waits until every peer has said BYE too (or failed,
     * or fell silent past the idle timeout) before the links close. Closing a socket while the peer still sends
     * can make the peer's kernel drop data it had not read yet; after both BYEs neither side needs anything
     * more. So the parties of one session should close concurrently (each in its own thread or process); the
     * wait is capped at one idle timeout. Never throws: the job is over, whatever happens to the peers now.
     */
    @Override
    public void close() {
        if (closed) return;
        if (failure == null) {
            for (int p = 0; p < 3; p++) {
                if (links[p] == null) continue;
                try {
                    links[p].write(new Frame(Frame.BYE, 0, 0, new byte[0]));
                } catch (RuntimeException ignored) {
                    // peer already gone; nothing left to tell it
                }
            }
            awaitPeersDone();
        }
        shutdown();
    }

    /**
     * Waits for the peers' BYE, at most one idle timeout: a peer that is alive but not done yet still reads what
     * we sent (its reader thread drains the socket all the time), so by then closing can no longer cost it data.
     */
    private void awaitPeersDone() {
        long start = System.nanoTime();
        while (failure == null) {
            boolean waiting = false;
            long now = System.nanoTime();
            for (int p = 0; p < 3; p++) {
                if (links[p] != null && finished.get(p) == 0 && now - lastHeard.get(p) <= idleNanos) waiting = true;
            }
            if (!waiting || now - start > idleNanos) return;
            if (poller != null) {
                readInline(-1, TimeUnit.MILLISECONDS.toNanos(20));   // the BYEs are read here (no reader threads)
                continue;
            }
            synchronized (this) {
                try {
                    wait(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** True once close() or abort() has run: the links are closed and no frame goes out any more. */
    public boolean isClosed() {
        return closed;
    }

    private void shutdown() {
        synchronized (abortLock) {
            if (!closed && log.isDebugEnabled()) {
                log.debug("P{}: closing; payload bytes sent {}, received {}, rounds {}", self, stats.bytesSent(),
                        stats.bytesReceived(), stats.clock());
            }
            closed = true;
            if (heartbeat != null) heartbeat.shutdownNow();
            for (Link l : links) if (l != null) l.close();
            stopPolling();
        }
    }

    private void stopPolling() {
        Poller p = poller;
        if (p == null) return;
        p.close();
        Thread d = drain;
        if (d != null && d != Thread.currentThread()) LockSupport.unpark(d);
    }

    /** Simulates a crash: links drop without BYE or ABORT (tests of failure handling). */
    public void abortWithoutNotice() {
        closed = true;
        if (heartbeat != null) heartbeat.shutdownNow();
        for (Link l : links) if (l != null) l.close();
        stopPolling();
    }

    /** Simulates a hung party: it stays connected but sends nothing, not even heartbeats (tests only). */
    public void stopHeartbeatsForTest() {
        heartbeatsStopped = true;
        if (heartbeat != null) heartbeat.shutdownNow();
    }

    /** Total bytes put on the wire by all links (payload, headers, and TLS overhead where known). */
    public long wireBytes() {
        long s = 0;
        for (Link l : links) if (l != null) s += l.wireBytes();
        return s;
    }
}
