package io.securenn.bench;

import io.securenn.SecureNnException;
import io.securenn.protocol.dmaxpool.DMaxPool;
import io.securenn.protocol.drelu.DReLU;
import io.securenn.protocol.matmul.Convolution;
import io.securenn.protocol.matmul.MatMul;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.protocol.relu.ReLU;
import io.securenn.protocol.sharing.Sharing;
import io.securenn.random.Prg;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;
import io.securenn.tensor.ConvGeometry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import java.util.function.Supplier;

/**
 * The whitepaper's microbenchmarks (Table 8, spec §3.8: one run each, LAN 625 MB/s with 0.22 ms ping between
 * three 36-core EC2 c4.8xlarge hosts; MB = 10^6 bytes), as cases {@link ProtocolBench} runs with our protocols.
 */
public final class ProtocolCases {
    private ProtocolCases() {}

    /**
     * One protocol's work, SPMD: {@link #prepare} deals random inputs (P0 shares its plaintext; dealing costs no
     * messages) and returns the protocol call, which a benchmark run times; the formulas are the protocol's own.
     */
    public interface Kernel {
        Supplier<long[]> prepare(PartyContext ctx);

        /** Bytes all parties send together in a session with these parameters (Z_67 wire format, DReLU form). */
        long bytes(SessionParams session);

        /** Rounds in a session with these parameters. */
        int rounds(SessionParams session);
    }

    /**
     * One row of Table 8.
     *
     * @param protocol the paper's name (Convolution, MatMul, Maxpool, DMP, DReLU, ReLU)
     * @param dims     the paper's dimensions, as it writes them
     * @param form     MaxPool's form (null for other protocols)
     * @param paperMs  the paper's LAN time in ms
     * @param paperMb  the paper's communication in MB
     * @param note     what differs in what the paper measured (null if nothing)
     */
    public record Case(String protocol, String dims, MaxPool.Form form, double paperMs, double paperMb, String note,
                       Kernel kernel) {
        /** The name selected by {@code --only}: the protocol in lower case. */
        public String key() {
            return protocol.toLowerCase(Locale.ROOT);
        }

        public String label() {
            return form == null ? protocol : protocol + " (" + form.name().toLowerCase(Locale.ROOT) + ")";
        }
    }

    /** The paper's ReLU row counts only what follows DReLU; ours is the whole protocol. */
    public static final String RELU_NOTE = "the paper's ReLU row counts only the product after DReLU; ours runs all of ReLU";

    /**
     * The cases of {@link #table8} a selection names (all of them for none): "name" is every case of that protocol
     * ({@link Case#key}), "name#k" its k-th (1-based); the table's order. Unknown names are usage errors (--only).
     */
    public static List<Case> select(List<String> only) {
        List<Case> all = table8();
        if (only == null || only.isEmpty()) return all;
        Set<String> known = new LinkedHashSet<>();
        for (Case c : all) known.add(c.key());
        Set<Case> want = new LinkedHashSet<>();
        for (String o : only) {
            String[] parts = o.strip().toLowerCase(Locale.ROOT).split("#", 2);
            if (!known.contains(parts[0])) {
                throw SecureNnException.usage("--only: unknown protocol '" + o + "' (known: " + String.join(", ", known) + ")");
            }
            List<Case> of = all.stream().filter(c -> c.key().equals(parts[0])).toList();
            if (parts.length == 1) {
                want.addAll(of);
                continue;
            }
            int k;
            try {
                k = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                k = -1;
            }
            if (k < 1 || k > of.size()) {
                throw SecureNnException.usage("--only: " + parts[0] + " has cases 1 to " + of.size() + ", got '" + o + "'");
            }
            want.add(of.get(k - 1));
        }
        List<Case> r = new ArrayList<>();
        for (Case c : all) if (want.contains(c)) r.add(c);
        return r;
    }

    /**
     * Table 8 (spec §3.8), LAN ms and MB as published. Convolution (m, f, i, o): input m×m with i channels, f×f filters,
     * o output channels, stride 1, no padding, batch 1. MatMul (m, n, v): (m×n)·(n×v). Maxpool and DMP: an h×w×c
     * input in non-overlapping k×k windows (h·w·c/k² windows of k² values); Maxpool runs in both forms. DReLU and
     * ReLU: a×b values.
     */
    public static List<Case> table8() {
        List<Case> t = new ArrayList<>();
        t.add(conv(8, 5, 16, 50, 3.8, 0.42));
        t.add(conv(28, 3, 1, 20, 1.8, 0.2));
        t.add(conv(28, 5, 1, 20, 2.8, 0.33));
        t.add(matmul(1, 100, 1, 0.33, 0.0032));
        t.add(matmul(1, 500, 100, 4.8, 0.81));
        t.add(matmul(784, 128, 10, 9.7, 1.69));
        double[][] pool = {{8, 50, 4, 59.7, 2.23}, {24, 16, 2, 61.1, 5.14}, {24, 20, 2, 62.6, 6.43}};
        for (double[] p : pool) {
            for (MaxPool.Form f : MaxPool.Form.values()) t.add(maxpool((int) p[0], (int) p[1], (int) p[2], f, p[3], p[4]));
        }
        double[][] dmp = {{8, 50, 4, 1.9, 0.18}, {24, 16, 2, 4.8, 0.52}, {24, 20, 2, 4.9, 0.65}};
        for (double[] p : dmp) t.add(dmp((int) p[0], (int) p[1], (int) p[2], p[3], p[4]));
        t.add(drelu(64, 16, 11.2, 0.68));
        t.add(drelu(128, 128, 109.8, 10.88));
        t.add(drelu(576, 20, 71.5, 7.65));
        t.add(relu(64, 16, 0.42, 0.04));
        t.add(relu(128, 128, 2.8, 0.66));
        t.add(relu(576, 20, 2.5, 0.46));
        return t;
    }

    /** P0's random plaintext of n small fixed-point values (|x| < 0.5), shared to P0 and P1 without messages. */
    static long[] shared(PartyContext ctx, int n) {
        long[] plain = null;
        if (ctx.id() == PartyContext.P0) {
            plain = ctx.local().longs(n);
            for (int i = 0; i < n; i++) plain[i] >>= 51;
        }
        return Sharing.dealFrom(ctx, PartyContext.P0, plain, n);
    }

    /** A kernel; its bytes and rounds depend on the session (Z_67 wire format, DReLU form). */
    private static Kernel kernel(ToLongFunction<SessionParams> bytes, ToIntFunction<SessionParams> rounds,
                                 Function<PartyContext, Supplier<long[]>> prep) {
        return new Kernel() {
            public Supplier<long[]> prepare(PartyContext ctx) {
                return prep.apply(ctx);
            }

            public long bytes(SessionParams session) {
                return bytes.applyAsLong(session);
            }

            public int rounds(SessionParams session) {
                return rounds.applyAsInt(session);
            }
        };
    }

    static Case conv(int m, int f, int i, int o, double ms, double mb) {
        ConvGeometry g = new ConvGeometry(1, i, m, m, f, 1, 0);
        return new Case("Conv2d", m + "," + f + "," + i + "," + o, null, ms, mb, null,
                kernel(w -> Convolution.bytes(g, o), w -> MatMul.rounds(), ctx -> {
                    long[] x = shared(ctx, g.inputSize()), w = shared(ctx, g.cols() * o);
                    return () -> Convolution.forward(ctx, x, g, w, o);
                }));
    }

    static Case matmul(int m, int n, int v, double ms, double mb) {
        return new Case("MatMul", m + "," + n + "," + v, null, ms, mb, null,
                kernel(w -> MatMul.bytes(m, n, v), w -> MatMul.rounds(), ctx -> {
                    long[] x = shared(ctx, m * n), y = shared(ctx, n * v);
                    return () -> MatMul.productFixed(ctx, x, y, m, n, v);
                }));
    }

    static Case maxpool(int hw, int c, int k, MaxPool.Form form, double ms, double mb) {
        int count = (hw / k) * (hw / k) * c, n = k * k;
        return new Case("Maxpool", hw + "x" + hw + "x" + c + ", " + k + "x" + k, form, ms, mb, null,
                kernel(w -> MaxPool.bytes(w, count, n, form), w -> MaxPool.rounds(w, n, form), ctx -> {
                    long[] win = shared(ctx, count * n);
                    return () -> MaxPool.run(ctx, win, count, n, form).max();
                }));
    }

    static Case dmp(int hw, int c, int k, double ms, double mb) {
        int count = (hw / k) * (hw / k) * c, n = k * k;
        return new Case("DMP", hw + "x" + hw + "x" + c + ", " + k + "x" + k, null, ms, mb, null,
                kernel(w -> DMaxPool.bytes(count, n), w -> DMaxPool.rounds(), ctx -> {
                    // shares of indices 0 <= ind < n, as MaxPool hands them over
                    long[] plain = null;
                    if (ctx.id() == PartyContext.P0) {
                        Prg r = ctx.local();
                        plain = new long[count];
                        for (int w = 0; w < count; w++) plain[w] = r.nextInt(n);
                    }
                    long[] idx = Sharing.dealFrom(ctx, PartyContext.P0, plain, count);
                    return () -> DMaxPool.run(ctx, idx, count, n);
                }));
    }

    static Case drelu(int a, int b, double ms, double mb) {
        int n = a * b;
        return new Case("DReLU", a + "x" + b, null, ms, mb, null, kernel(w -> DReLU.bytes(w, n), DReLU::rounds, ctx -> {
            long[] x = shared(ctx, n);
            return () -> DReLU.run(ctx, x, n);
        }));
    }

    static Case relu(int a, int b, double ms, double mb) {
        int n = a * b;
        return new Case("ReLU", a + "x" + b, null, ms, mb, RELU_NOTE, kernel(w -> ReLU.bytes(w, n), ReLU::rounds, ctx -> {
            long[] x = shared(ctx, n);
            return () -> ReLU.run(ctx, x, n).relu();
        }));
    }
}
