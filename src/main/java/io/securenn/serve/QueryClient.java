package io.securenn.serve;

import io.securenn.SecureNnException;
import io.securenn.model.ModelGraph;
import io.securenn.random.Prg;
import io.securenn.ring.FixedPoint;
import io.securenn.transport.TlsProvider;
import io.securenn.transport.tls.ClientChannel;
import io.securenn.transport.tls.ClusterConfig;
import io.securenn.transport.tls.TlsIdentity;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client of {@code securenn serve}: connects to P0 and P1 with its pinned certificate, secret-shares each query's
 * rows between them (x − r to P0, r to P1; ids and masks from the client's AES-CTR stream, keyed once from SecureRandom)
 * and reconstructs the output from their two refreshed shares. One query at a time per client object; one identity may hold many clients at once.
 */
public final class QueryClient implements AutoCloseable {
    /** What a query reveals to its client. */
    public enum Reveal { LOGITS, LABEL }

    /**
     * A query's answer: outputs (rows × classes, after the model's Softmax/LogSoftmax; null for labels only),
     * labels (argmax, ties to the lower class), and the servers' metadata (P0's and P1's).
     */
    public record Answer(int rows, int classes, double[] outputs, int[] labels, ReplyMeta p0, ReplyMeta p1) {
        /** Payload bytes of the three servers for this query's batch, divided by the batch's queries. */
        public double bytesPerQuery() {
            if (p0.bytesP2() < 0) return Double.NaN;
            return (double) (p0.bytes() + p1.bytes() + p0.bytesP2()) / p0.batchQueries();
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Side[] sides = new Side[2];
    private final Messages.Hello hello;
    private final Duration idle;
    private final Prg masks = maskStream();

    /** One server's connection, read by its own thread into a queue. */
    private static final class Side {
        final int party;
        final ClientChannel ch;
        final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();

        Side(int party, ClientChannel ch) {
            this.party = party;
            this.ch = ch;
            Thread.ofVirtual().name("securenn-client-from-P" + party).start(this::readLoop);
        }

        private void readLoop() {
            try {
                while (true) inbox.add(Messages.read(ch.in()));
            } catch (IOException e) {
                inbox.add(e);
            }
        }

        /** The next message that is not a heartbeat; a server silent for idle fails. */
        Messages.Msg next(Duration idle) {
            while (true) {
                Object o;
                try {
                    o = inbox.poll(idle.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SecureNnException(SecureNnException.Kind.INTERNAL, "interrupted");
                }
                if (o == null) {
                    ch.close();
                    throw new SecureNnException(SecureNnException.Kind.PEER_LOST, "P" + party + " at " + ch.peer()
                            + ": silent for more than " + idle.toSeconds() + " s (idle timeout)");
                }
                if (o instanceof IOException e) {
                    inbox.add(e);   // every later read fails the same way
                    if (ClientChannel.refusedCertificate(e)) {
                        throw new SecureNnException(SecureNnException.Kind.TLS_IDENTITY, "P" + party + " at " + ch.peer()
                                + " refused this client's certificate (is it listed as client.K.cert in the servers'"
                                + " cluster config?)");
                    }
                    throw new SecureNnException(SecureNnException.Kind.PEER_LOST, "P" + party + " at " + ch.peer() + ": "
                            + ClientChannel.describe(e));
                }
                Messages.Msg m = (Messages.Msg) o;
                if (m.type() != Messages.HEARTBEAT) return m;
            }
        }

        void send(byte type, byte[] body) {
            try {
                Messages.write(ch.out(), type, body);
            } catch (IOException e) {
                throw new SecureNnException(SecureNnException.Kind.PEER_LOST, "P" + party + " at " + ch.peer() + ": "
                        + ClientChannel.describe(e));
            }
        }
    }

    private QueryClient(Side p0, Side p1, Messages.Hello hello, Duration idle) {
        sides[0] = p0;
        sides[1] = p1;
        this.hello = hello;
        this.idle = idle;
    }

    /** Connects to P0 and P1 of the config as this identity and reads their hellos (which must agree). */
    public static QueryClient connect(ClusterConfig config, TlsIdentity identity, TlsProvider provider, Duration idle,
                                      Duration connectTimeout) {
        Side[] s = new Side[2];
        try {
            for (int p = 0; p < 2; p++) {
                s[p] = new Side(p, ClientChannel.dial(provider, identity, p, config.party(p).address(),
                        config.certificate(p), connectTimeout));
            }
            Messages.Hello[] h = new Messages.Hello[2];
            for (int p = 0; p < 2; p++) {
                Messages.Msg m = s[p].next(connectTimeout.compareTo(idle) > 0 ? connectTimeout : idle);
                if (m.type() == Messages.ERROR) {
                    throw new SecureNnException(SecureNnException.Kind.PEER_LOST, "P" + p + " at " + s[p].ch.peer()
                            + ": " + Messages.error(m.body()).message());
                }
                if (m.type() != Messages.HELLO) throw misbehaved(s[p], "sent message type " + m.type() + " instead of its hello");
                h[p] = Messages.hello(m.body());
                if (h[p].party() != p) throw misbehaved(s[p], "greets as P" + h[p].party());
            }
            if (h[0].inputSize() != h[1].inputSize() || h[0].classes() != h[1].classes() || h[0].output() != h[1].output()) {
                throw new SecureNnException(SecureNnException.Kind.PEER_MISBEHAVED,
                        "P0 and P1 serve models of different shapes (are they in the same session?)");
            }
            return new QueryClient(s[0], s[1], h[0], idle);
        } catch (IOException e) {
            for (Side x : s) if (x != null) x.ch.close();
            throw new SecureNnException(SecureNnException.Kind.PEER_MISBEHAVED, "a server sent a malformed hello: " + e.getMessage());
        } catch (RuntimeException e) {
            for (Side x : s) if (x != null) x.ch.close();
            throw e;
        }
    }

    private static SecureNnException misbehaved(Side s, String what) {
        return new SecureNnException(SecureNnException.Kind.PEER_MISBEHAVED, "P" + s.party + " at " + s.ch.peer() + " " + what);
    }

    /** Values per row the served model takes. */
    public int inputSize() {
        return hello.inputSize();
    }

    public int classes() {
        return hello.classes();
    }

    /** The served model's name, as the servers report it. */
    public String model() {
        return hello.model();
    }

    /** Most rows the servers take in one query; {@link #query} splits larger inputs. */
    public int maxRows() {
        return hello.maxRows();
    }

    /** Classifies rows (rows × inputSize values, row-major), in queries of at most {@link #maxRows} rows. */
    public Answer query(double[] x, int rows, Reveal reveal) {
        int in = hello.inputSize(), k = hello.classes();
        if (rows <= 0 || x.length != (long) rows * in) {
            throw new IllegalArgumentException(x.length + " values are not " + rows + " rows of " + in);
        }
        double[] outputs = reveal == Reveal.LOGITS ? new double[rows * k] : null;
        int[] labels = new int[rows];
        ReplyMeta m0 = null, m1 = null;
        for (int start = 0; start < rows; start += hello.maxRows()) {
            int n = Math.min(hello.maxRows(), rows - start);
            Answer a = one(Arrays.copyOfRange(x, start * in, (start + n) * in), n, reveal);
            if (outputs != null) System.arraycopy(a.outputs(), 0, outputs, start * k, n * k);
            System.arraycopy(a.labels(), 0, labels, start, n);
            m0 = a.p0();
            m1 = a.p1();
        }
        return new Answer(rows, k, outputs, labels, m0, m1);
    }

    /** A query's id and its input's two shares: toP0 + toP1 = the fixed-point encoding of x. */
    record Split(byte[] qid, long[] toP0, long[] toP1) {}

    /** A client's own stream of query ids and masks: AES-CTR under a key of SecureRandom's, drawn once per client. */
    static Prg maskStream() {
        byte[] seed = new byte[Prg.SEED_BYTES];
        RANDOM.nextBytes(seed);
        Prg p = Prg.fromSeed(seed);
        Arrays.fill(seed, (byte) 0);
        return p;
    }

    /**
     * Draws a query id and a mask r from the client's stream and shares x as (x − r, r). The stream is a
     * pseudorandom generator keyed once per client from SecureRandom: its outputs are indistinguishable from uniform,
     * ids and masks alike, and no two queries share a position. A SecureRandom call per value cost about 1 ms of CPU
     * per query of A (NativePRNG's lock, its /dev/urandom read and SHA-1 mixing); one call per query and a new AES key
     * per query still took a fifth of the client's samples (the cipher's look-up, key schedule and block buffer).
     */
    static Split split(double[] x, Prg stream) {
        byte[] qid = stream.bytes(Messages.QID_BYTES);
        long[] r = stream.longs(x.length), s0 = new long[x.length];
        for (int i = 0; i < x.length; i++) s0[i] = FixedPoint.encode(x[i]) - r[i];
        return new Split(qid, s0, r);
    }

    private Answer one(double[] x, int rows, Reveal reveal) {
        int k = hello.classes();
        Split sp = split(x, masks);
        byte[] qid = sp.qid();
        long[] s0 = sp.toP0(), r = sp.toP1();
        int rv = reveal == Reveal.LABEL ? 1 : 0;
        sides[0].send(Messages.QUERY, Messages.query(new Messages.Query(qid, rows, rv, s0)));
        sides[1].send(Messages.QUERY, Messages.query(new Messages.Query(qid, rows, rv, r)));
        Messages.Result[] res = new Messages.Result[2];
        for (int p = 0; p < 2; p++) {
            Messages.Msg m = sides[p].next(idle);
            try {
                if (m.type() == Messages.ERROR) {
                    Messages.Error e = Messages.error(m.body());
                    throw new SecureNnException(SecureNnException.Kind.PEER_LOST, "P" + p + ": " + e.message());
                }
                if (m.type() != Messages.RESULT) throw misbehaved(sides[p], "sent message type " + m.type() + " instead of a result");
                res[p] = Messages.result(m.body());
            } catch (IOException e) {
                throw misbehaved(sides[p], "sent a malformed result: " + e.getMessage());
            }
            int want = reveal == Reveal.LABEL ? rows : rows * k;
            if (!Arrays.equals(res[p].qid(), qid) || res[p].rows() != rows || res[p].share().length != want) {
                throw misbehaved(sides[p], "answered another query or with the wrong size");
            }
        }
        long[] v = new long[res[0].share().length];
        for (int i = 0; i < v.length; i++) v[i] = res[0].share()[i] + res[1].share()[i];
        int[] labels = new int[rows];
        double[] outputs = null;
        if (reveal == Reveal.LABEL) {
            for (int i = 0; i < rows; i++) {
                if (v[i] < 0 || v[i] >= k) throw new SecureNnException(SecureNnException.Kind.PEER_MISBEHAVED,
                        "the servers' shares reconstruct to class " + v[i] + " of " + k + " (a server misbehaved)");
                labels[i] = (int) v[i];
            }
        } else {
            outputs = FixedPoint.decode(v);
            ModelGraph.Output out = ModelGraph.Output.values()[Math.max(0, Math.min(2, hello.output()))];
            for (int b = 0; b < rows; b++) {
                int best = 0;
                for (int c = 1; c < k; c++) if (outputs[b * k + c] > outputs[b * k + best]) best = c;
                labels[b] = best;
                out.apply(outputs, b * k, k);
            }
        }
        return new Answer(rows, k, outputs, labels, res[0].meta(), res[1].meta());
    }

    @Override
    public void close() {
        for (Side s : sides) if (s != null) s.ch.close();
    }
}
