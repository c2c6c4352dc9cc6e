package io.securenn.cli.probe;

import io.securenn.protocol.sharing.Sharing;
import io.securenn.runtime.PartyContext;
import io.securenn.transport.CommStats;
import io.securenn.transport.PeerFailure;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One probe run, SPMD (every party calls {@link #run}). Phases:
 * <ol>
 * <li>input: P0 sends the input shapes to P1 and P2 (plus, to P1, any input both holders see in the clear) in one
 *     message each, then deals the shared inputs (dealing costs no messages: P1's shares come from the P0–P1
 *     stream);</li>
 * <li>the operation's protocol: the only part counted as its bytes, rounds and seconds;</li>
 * <li>output: P1 sends its share of the result to P0, who reconstructs it;</li>
 * <li>report (not counted): P1 and P2 send their counts to P0, so P0 can print all three.</li>
 * </ol>
 * Phase 2 runs inside one protocol scope, which restarts the round clock, so each party's clock at its end is the
 * protocol's rounds as that party saw them; the maximum over the parties is reported.
 */
public final class ProbeJob {
    private ProbeJob() {}

    /** One party's counts: bytes it sent in the protocol and for input/output, its rounds, its protocol time. */
    public record Cost(long protocolBytes, long ioBytes, int rounds, long nanos) {
        long[] toLongs() {
            return new long[] {protocolBytes, ioBytes, rounds, nanos};
        }

        static Cost of(long[] v) {
            return new Cost(v[0], v[1], (int) v[2], v[3]);
        }
    }

    /**
     * What a party ends with. At P0: the revealed result and everyone's costs; elsewhere: only the party's own
     * cost (at its index) and a null result.
     */
    public record Outcome(int self, long[] result, Shape shape, Cost[] costs) {
        public int rounds() {
            int r = 0;
            for (Cost c : costs) if (c != null) r = Math.max(r, c.rounds());
            return r;
        }

        public double seconds() {
            long n = 0;
            for (Cost c : costs) if (c != null) n = Math.max(n, c.nanos());
            return n / 1e9;
        }
    }

    /**
     * @param plain  P0's plaintext inputs (null at P1 and P2)
     * @param shapes P0's input shapes (null at P1 and P2, which learn them from P0)
     */
    public static Outcome run(PartyContext ctx, ProbeOperation op, ProbeOptions o, long[][] plain, Shape[] shapes) {
        int me = ctx.id(), arity = op.arity();
        CommStats st = ctx.stats();
        CommStats.Snapshot s0 = st.snapshot();

        // ---- input ----
        long[][] publicAtP1 = new long[arity][];
        if (me == 0) {
            op.resultShape(shapes, o);
            int extra = 0;
            for (int i = 0; i < arity; i++) if (op.inputKind(i) == ProbeOperation.InputKind.PUBLIC_TO_HOLDERS) extra += shapes[i].size();
            long[] toP1 = new long[2 * arity + extra], toP2 = new long[2 * arity];
            int off = 2 * arity;
            for (int i = 0; i < arity; i++) {
                toP1[2 * i] = toP2[2 * i] = shapes[i].rows();
                toP1[2 * i + 1] = toP2[2 * i + 1] = shapes[i].cols();
                if (op.inputKind(i) == ProbeOperation.InputKind.PUBLIC_TO_HOLDERS) {
                    System.arraycopy(plain[i], 0, toP1, off, plain[i].length);
                    off += plain[i].length;
                }
            }
            ctx.sendLongs(1, toP1);
            ctx.sendLongs(2, toP2);
        } else {
            long[] header = receiveAny(ctx, 0);
            shapes = shapesFrom(ctx, op, o, header);
            if (me == 1) {
                int off = 2 * arity;
                for (int i = 0; i < arity; i++) {
                    if (op.inputKind(i) != ProbeOperation.InputKind.PUBLIC_TO_HOLDERS) continue;
                    int n = shapes[i].size();
                    if (header.length < off + n) throw misbehaved(ctx, "a short input message");
                    publicAtP1[i] = java.util.Arrays.copyOfRange(header, off, off + n);
                    off += n;
                }
                if (off != header.length) throw misbehaved(ctx, "an input message of the wrong size");
            } else if (header.length != 2 * arity) {
                throw misbehaved(ctx, "an input message of the wrong size");
            }
        }
        Shape out = op.resultShape(shapes, o);
        long[][] inputs = new long[arity][];
        for (int i = 0; i < arity; i++) {
            int n = shapes[i].size();
            inputs[i] = switch (op.inputKind(i)) {
                case SHARED -> Sharing.dealFrom(ctx, 0, me == 0 ? plain[i] : null, n);
                case PUBLIC_TO_HOLDERS -> me == 0 ? plain[i] : me == 1 ? publicAtP1[i] : new long[0];
            };
        }

        // ---- the protocol (counted) ----
        CommStats.Snapshot s1 = st.snapshot();
        long t0 = System.nanoTime();
        long[] share;
        // one protocol scope around the operation: its round epoch starts here, so the ledger's rounds are the
        // longest message chain of the operation alone
        try (var _ = ctx.meter("probe")) {
            share = op.run(ctx, inputs, shapes, o);
        }
        long nanos = System.nanoTime() - t0;
        CommStats.Snapshot s2 = st.snapshot();
        int rounds = (int) ctx.ledger().get("probe").rounds();

        // ---- output to P0 ----
        long[] result = null;
        if (me == 1) {
            ctx.sendLongs(0, share);
        } else if (me == 0) {
            long[] theirs = ctx.receiveLongs(1, out.size());
            if (share.length != out.size()) {
                throw new IllegalStateException(op.name() + " returned " + share.length + " values for a " + out + " result");
            }
            result = new long[out.size()];
            for (int i = 0; i < result.length; i++) result[i] = op.reconstruct(share[i], theirs[i]);
        }
        CommStats.Snapshot s3 = st.snapshot();

        Cost mine = new Cost(s2.bytesSent() - s1.bytesSent(),
                (s1.bytesSent() - s0.bytesSent()) + (s3.bytesSent() - s2.bytesSent()), rounds, nanos);
        Cost[] costs = new Cost[3];
        costs[me] = mine;
        // ---- report (not counted) ----
        if (me == 0) {
            for (int p = 1; p < 3; p++) costs[p] = Cost.of(ctx.receiveLongs(p, 4));
        } else {
            ctx.sendLongs(0, mine.toLongs());
        }
        return new Outcome(me, result, out, costs);
    }

    private static long[] receiveAny(PartyContext ctx, int peer) {
        byte[] b = ctx.transport().receive(peer);
        if (b.length % 8 != 0) throw misbehaved(ctx, "an input message of " + b.length + " bytes");
        long[] r = new long[b.length / 8];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(r);
        return r;
    }

    private static Shape[] shapesFrom(PartyContext ctx, ProbeOperation op, ProbeOptions o, long[] header) {
        int arity = op.arity();
        if (header.length < 2 * arity) throw misbehaved(ctx, "a short input message");
        Shape[] s = new Shape[arity];
        for (int i = 0; i < arity; i++) {
            long r = header[2 * i], c = header[2 * i + 1];
            if (r < 1 || c < 1 || r * c > Integer.MAX_VALUE) throw misbehaved(ctx, "an impossible input shape");
            s[i] = new Shape((int) r, (int) c);
        }
        return s;
    }

    private static PeerFailure misbehaved(PartyContext ctx, String what) {
        PeerFailure f = PeerFailure.misbehaved(0, "P0 sent " + what);
        ctx.transport().abort(f);
        return f;
    }
}
