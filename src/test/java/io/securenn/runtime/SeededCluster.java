package io.securenn.runtime;

import io.securenn.random.Prg;
import io.securenn.transport.CommStats;
import io.securenn.transport.PeerFailure;
import io.securenn.transport.Transport;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Test-only: runs the three parties like {@link LocalCluster}, but with every random stream keyed from a test
 * seed (so the protocols' masks, and hence every statistical test, are reproducible), and records each frame a
 * party receives (its view). Production sessions never use this: their keys come from {@code Session}.
 */
public final class SeededCluster {
    private SeededCluster() {}

    /** What one party returned, what the protocol cost it, its stream positions, and what it received. */
    public record PartyRun<T>(T value, CommStats.Snapshot cost, long[] streamPositions, List<List<byte[]>> received) {
        /** Frames received from peer, in order. */
        public List<byte[]> from(int peer) {
            return received.get(peer);
        }

        /**
         * The messages received from peer, given their sizes in order: a message may travel in several frames
         * ({@link SessionParams#frameLongs()}, {@link SessionParams#chunkElements()}), so the frames are joined and cut at the sizes, which must add up to all that arrived.
         */
        public List<byte[]> messages(int peer, long... sizes) {
            byte[] all = stream(peer);
            List<byte[]> out = new ArrayList<>();
            int at = 0;
            for (long n : sizes) {
                if (at + n > all.length) {
                    throw new AssertionError("P" + peer + " sent " + all.length + " bytes, fewer than the messages' "
                            + Arrays.stream(sizes).sum());
                }
                out.add(Arrays.copyOfRange(all, at, (int) (at + n)));
                at += (int) n;
            }
            if (at != all.length) {
                throw new AssertionError("P" + peer + " sent " + all.length + " bytes, not the messages' " + at);
            }
            return out;
        }

        /** Everything received from peer, the frames joined in order. */
        public byte[] stream(int peer) {
            var b = new java.io.ByteArrayOutputStream();
            for (byte[] f : received.get(peer)) b.writeBytes(f);
            return b.toByteArray();
        }
    }

    /** The three parties' runs, index = party id, and the session parameters they ran with. */
    public record Outcome<T>(List<PartyRun<T>> parties, SessionParams params) {
        public T of(int party) {
            return parties.get(party).value();
        }

        public PartyRun<T> party(int p) {
            return parties.get(p);
        }

        /** Payload bytes all three parties sent during the job. */
        public long bytes() {
            long s = 0;
            for (PartyRun<T> p : parties) s += p.cost().bytesSent();
            return s;
        }

        /** Message depth of the job: the largest clock advance of any party. */
        public int rounds() {
            int r = 0;
            for (PartyRun<T> p : parties) r = Math.max(r, p.cost().clock());
            return r;
        }

        /**
         * True iff every stream's two holders drew the same number of bytes: P0–P1 (common), P0–P2 and P1–P2.
         * Positions are {P0: common, with P2; P1: common, with P2; P2: with P0, with P1}.
         */
        public boolean streamsInLockStep() {
            long[] a = parties.get(0).streamPositions(), b = parties.get(1).streamPositions(),
                    c = parties.get(2).streamPositions();
            return a[0] == b[0] && a[1] == c[0] && b[1] == c[1];
        }
    }

    /** The job at three seeded parties with the default session parameters. */
    public static <T> Outcome<T> run(long seed, Function<PartyContext, T> job) {
        return run(SessionParams.defaults(), seed, job);
    }

    /** The job at three seeded parties in a session with the given parameters (wire format, chunk sizes). */
    public static <T> Outcome<T> run(SessionParams session, long seed, Function<PartyContext, T> job) {
        var res = LocalCluster.run(session, ctx -> {
            Recorder rec = new Recorder(ctx.transport());
            PartyContext c = new PartyContext(ctx.id(), rec, prg(seed, "pair", low(ctx.id())),
                    prg(seed, "pair", high(ctx.id())), prg(seed, "local", ctx.id()), ctx.params());
            CommStats.Snapshot before = c.stats().snapshot();
            T v = job.apply(c);
            CommStats.Snapshot cost = c.stats().snapshot().minus(before);
            long[] pos = c.isHelper()
                    ? new long[] {c.pair(0).position(), c.pair(1).position()}
                    : new long[] {c.common().position(), c.pair(2).position()};
            return new PartyRun<>(v, cost, pos, rec.frames());
        });
        return new Outcome<>(List.of(res.of(0), res.of(1), res.of(2)), session);
    }

    /** Pair index of the lower-numbered peer's stream (encoded as low*3 + high). */
    private static int low(int id) {
        int[] p = PartyContext.peersOf(id);
        return Math.min(id, p[0]) * 3 + Math.max(id, p[0]);
    }

    private static int high(int id) {
        int[] p = PartyContext.peersOf(id);
        return Math.min(id, p[1]) * 3 + Math.max(id, p[1]);
    }

    private static Prg prg(long seed, String kind, int which) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(ByteBuffer.allocate(8).putLong(seed).array());
            md.update(kind.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            md.update((byte) which);
            byte[] h = md.digest();
            return new Prg(Arrays.copyOfRange(h, 0, 16), Arrays.copyOfRange(h, 16, 32));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A transport that keeps a copy of every payload received, per peer. */
    static final class Recorder implements Transport {
        private final Transport inner;
        private final List<List<byte[]>> frames = new ArrayList<>();

        Recorder(Transport inner) {
            this.inner = inner;
            for (int i = 0; i < 3; i++) frames.add(Collections.synchronizedList(new ArrayList<>()));
        }

        List<List<byte[]>> frames() {
            return frames;
        }

        @Override
        public int self() {
            return inner.self();
        }

        @Override
        public void send(int peer, byte[] payload) {
            inner.send(peer, payload);
        }

        @Override
        public byte[] receive(int peer) {
            byte[] b = inner.receive(peer);
            frames.get(peer).add(b.clone());
            return b;
        }

        @Override
        public CommStats stats() {
            return inner.stats();
        }

        @Override
        public void close() {
            inner.close();
        }

        @Override
        public void abort(PeerFailure failure) {
            inner.abort(failure);
        }
    }
}
