package io.securenn.cli.probe;

import io.securenn.protocol.sharing.Sharing;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;
import io.securenn.transport.CommStats;
import io.securenn.transport.FramedTransport;
import io.securenn.transport.PeerFailure;

import java.util.ArrayList;
import java.util.List;


/**
 * One probe run, SPMD (every party calls {@link #run}). Phases:
 * <ol>
 * <li>input: P0 sends the input shapes to P1 and P2 (plus any input the receiver sees in the clear: to P1 those
 *     both holders know, to P2 those the helper knows) in one message each, then deals the shared inputs (dealing
 *     costs no messages: P1's shares come from the P0–P1 stream);</li>
 * <li>the operation: its protocol (inside {@link ProbeOperation.Measured#protocol}) is the only part counted as
 *     its bytes, rounds and seconds; anything else it does (a helper dealing inputs the protocol expects,
 *     re-sharing an output) counts as input/output bytes;</li>
 * <li>output: P1 sends its share of the result to P0, who reconstructs it;</li>
 * <li>report (not counted): P1 and P2 send their counts to P0, so P0 can print all three.</li>
 * </ol>
 * The protocol runs inside one protocol scope, which restarts the round clock, so each party's clock at its end is
 * the protocol's rounds as that party saw them; the maximum over the parties is reported.
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
     * cost (at its index) and a null result. session: the session's parameters (Z_67 wire format, DReLU form: for the documented cost).
     */
    public record Outcome(int self, long[] result, Shape shape, Cost[] costs, SessionParams session) {
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
        long[][] clear = new long[arity][]; // the plaintext inputs this party receives from P0
        if (me == 0) {
            op.resultShape(shapes, o);
            for (int p = 1; p <= 2; p++) {
                // the shapes, then the plaintext inputs for p, whose length the shapes tell (a message of longs
                // travels in frames, so the receiver must know its length)
                ctx.sendLongs(p, shapeMessage(shapes));
                long[][] sent = clearInputs(op, p, plain);
                if (count(sent) > 0) ctx.sendLongs(p, sent);
            }
        } else {
            shapes = shapesFrom(ctx, op, ctx.receiveLongs(0, 2 * arity));
            long values = 0;
            for (int i = 0; i < arity; i++) if (op.inputKind(i).sentTo(me)) values += shapes[i].size();
            // what one frame could carry before messages were cut into frames: no larger input is allocated
            if (values > FramedTransport.DEFAULT_MAX_FRAME / 8) {
                throw misbehaved(ctx, "an input message of " + values + " values");
            }
            for (int i = 0; i < arity; i++) if (op.inputKind(i).sentTo(me)) clear[i] = new long[shapes[i].size()];
            long[][] expected = clearInputs(op, me, clear);
            if (count(expected) > 0) ctx.receiveLongsInto(0, expected);
        }
        Shape out = op.resultShape(shapes, o);
        long[][] inputs = new long[arity][];
        for (int i = 0; i < arity; i++) {
            ProbeOperation.InputKind kind = op.inputKind(i);
            inputs[i] = kind == ProbeOperation.InputKind.SHARED
                    ? Sharing.dealFrom(ctx, 0, me == 0 ? plain[i] : null, shapes[i].size())
                    : me == 0 ? plain[i] : kind.sentTo(me) ? clear[i] : new long[0];
        }

        // ---- the operation; only its protocol part is counted ----
        Measurement m = new Measurement(ctx);
        long[] share = op.run(ctx, inputs, shapes, o, m);
        if (m.calls != 1) {
            throw new IllegalStateException(op.name() + " measured its protocol " + m.calls + " times (must be once)");
        }

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

        Cost mine = new Cost(m.bytes, (s3.bytesSent() - s0.bytesSent()) - m.bytes, m.rounds, m.nanos);
        Cost[] costs = new Cost[3];
        costs[me] = mine;
        // ---- report (not counted) ----
        if (me == 0) {
            for (int p = 1; p < 3; p++) costs[p] = Cost.of(ctx.receiveLongs(p, 4));
        } else {
            ctx.sendLongs(0, mine.toLongs());
        }
        return new Outcome(me, result, out, costs, ctx.params());
    }

    /** Rows and columns of every input, in order. */
    private static long[] shapeMessage(Shape[] shapes) {
        long[] h = new long[2 * shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            h[2 * i] = shapes[i].rows();
            h[2 * i + 1] = shapes[i].cols();
        }
        return h;
    }

    /** The inputs P0 sends party p in plaintext, in order (of values, as P0 holds them or as p will fill them). */
    private static long[][] clearInputs(ProbeOperation op, int p, long[][] values) {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < op.arity(); i++) if (op.inputKind(i).sentTo(p)) out.add(values[i]);
        return out.toArray(new long[0][]);
    }

    private static long count(long[][] parts) {
        long n = 0;
        for (long[] a : parts) n += a.length;
        return n;
    }

    /** Counts the protocol part of one run: this party's bytes, its rounds (one protocol scope) and its time. */
    private static final class Measurement implements ProbeOperation.Measured {
        private final PartyContext ctx;
        int calls;
        long bytes, nanos;
        int rounds;

        Measurement(PartyContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public <T> T protocol(java.util.function.Supplier<T> body) {
            calls++;
            long roundsBefore = ctx.ledger().get(SCOPE).rounds();
            CommStats.Snapshot before = ctx.stats().snapshot();
            long t0 = System.nanoTime();
            T r;
            // one protocol scope around the protocol: its round epoch starts here, so the ledger's rounds are the
            // longest message chain of the protocol alone
            try (var _ = ctx.meter(SCOPE)) {
                r = body.get();
            }
            nanos += System.nanoTime() - t0;
            bytes += ctx.stats().snapshot().bytesSent() - before.bytesSent();
            rounds += (int) (ctx.ledger().get(SCOPE).rounds() - roundsBefore);
            return r;
        }
    }

    private static final String SCOPE = "probe";

    private static Shape[] shapesFrom(PartyContext ctx, ProbeOperation op, long[] header) {
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
