package io.securenn.testutil;

import io.securenn.protocol.sharing.DealerTap;
import io.securenn.ring.OddRing;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SeededCluster;
import io.securenn.runtime.SessionParams;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * A protocol run together with everything P2 dealt in it. {@link SeededCluster} records what every party receives;
 * the {@link DealerTap} hook records, at P2, each value it shares and every value it draws from its streams with P0
 * and P1 (Beaver triples U, V, ⟨Z⟩0, ⟨Z⟩1; Z_L and Z_{L−1} shares; Z_67 bit shares; ComputeMSB's x), in dealing
 * order. The production protocol code is what runs; the hook only copies.
 *
 * <p>P2 knows all of this, so the view tests ({@link Freshness}) check independence from the secrets <em>given</em>
 * it: they combine P2's received messages, and the output shares a protocol hands on, with the dealt values the
 * way a curious P2 would (subtract ⟨Z⟩, condition on the parities of U and V, enumerate the few bits it does not
 * know), and compare the result between two different secret inputs.
 */
public final class DealerView {
    private DealerView() {}

    /** One dealt item. */
    public sealed interface Item permits Ring, Odd, Bits, RandomOdd, Triple, Product {}

    /** Z_L shares of values: P0's share from the P0–P2 stream, P1's sent. */
    public record Ring(long[] values, long[] share0) implements Item {
        public long[] share1() {
            long[] r = new long[values.length];
            for (int i = 0; i < r.length; i++) r[i] = values[i] - share0[i];
            return r;
        }

        public long[] share(int j) {
            return j == 0 ? share0 : share1();
        }
    }

    /** Z_{L−1} shares of values (canonical). */
    public record Odd(long[] values, long[] share0) implements Item {
        public long[] share1() {
            long[] r = new long[values.length];
            for (int i = 0; i < r.length; i++) r[i] = OddRing.sub(values[i], share0[i]);
            return r;
        }

        public long[] share(int j) {
            return j == 0 ? share0 : share1();
        }
    }

    /** Z_67 shares of the bits of values (64 per value, MSB first); P1's shares. */
    public record Bits(long[] values, byte[] share1) implements Item {}

    /** ComputeMSB's x ∈ Z_{L−1}: ⟨x⟩0 from the P0–P2 stream, ⟨x⟩1 from the P1–P2 stream. */
    public record RandomOdd(long[] x0, long[] x1) implements Item {
        public long[] x() {
            long[] r = new long[x0.length];
            for (int i = 0; i < r.length; i++) r[i] = OddRing.add(x0[i], x1[i]);
            return r;
        }
    }

    /** An element-wise Beaver triple dealt ahead (Beaver.deal): U ⊙ V = Z = ⟨Z⟩0 + ⟨Z⟩1. */
    public record Triple(long[] u, long[] v, long[] z, long[] z0) implements Item {
        public long[] z1() {
            long[] r = new long[z.length];
            for (int i = 0; i < r.length; i++) r[i] = z[i] - z0[i];
            return r;
        }

        public long[] zShare(int j) {
            return j == 0 ? z0 : z1();
        }
    }

    /** A MatMul triple: U (m×n or m), V (n×v or m), ⟨Z⟩0 + ⟨Z⟩1 = U·V (or U ⊙ V). */
    public record Product(int m, int n, int v, boolean elementwise, long[] u, long[] vv, long[] z0, long[] z1)
            implements Item {
        public long[] zShare(int j) {
            return j == 0 ? z0 : z1;
        }
    }

    /**
     * What P2 dealt for one ComputeMSB (inside DReLU, or standalone), and, inside DReLU, ShareConvert's items before
     * it: x (the mask), the Z_L shares of x's LSB, the triple of γ·δ, the triples dealt for the caller, the Z_67
     * shares of x's bits, and the Z_L shares of β′ (P2's Π_PC output). {@code sc} is null for a standalone
     * ComputeMSB.
     */
    public record Msb(Sc sc, RandomOdd x, Ring lsb, Triple triple, List<Triple> callerTriples, Bits bits,
                      Ring betaPrime) {}

    /** ShareConvert's items: Z_{L−1} shares of δ, Z_67 shares of x's bits, Z_{L−1} shares of η′. */
    public record Sc(Odd delta, Bits bits, Odd etaPrime) {}

    /**
     * The masked-reveal DReLU's items (each DReLU in that form has one set): Z_L shares of the mask r, the caller's
     * triples, the Z_67 shares of the bits of r′ (r's low 63 bits), and Z_L shares of γ = β′ ⊕ r₆₃.
     */
    public record MaskedDrelu(Ring r, List<Triple> callerTriples, Bits bits, Ring gamma) {
        /** β′ = β ⊕ (r′ > x′), which P2 learnt from Π_PC: γ ⊕ r₆₃. */
        public long betaPrime(int e) {
            return gamma.values()[e] ^ (r.values()[e] >>> 63);
        }
    }

    /** The recorder installed at P2. */
    public static final class Dealt implements DealerTap.Listener {
        private final List<Item> items = Collections.synchronizedList(new ArrayList<>());
        private long[][] pendingTriple;

        @Override
        public void ring(long[] values, long[] share0) {
            if (pendingTriple != null) {
                items.add(new Triple(pendingTriple[0], pendingTriple[1], values, share0));
                pendingTriple = null;
            } else {
                items.add(new Ring(values, share0));
            }
        }

        @Override
        public void oddRing(long[] values, long[] share0) {
            items.add(new Odd(values, share0));
        }

        @Override
        public void bits(long[] values, byte[] share1) {
            items.add(new Bits(values, share1));
        }

        @Override
        public void randomOddRing(long[] x0, long[] x1) {
            items.add(new RandomOdd(x0, x1));
        }

        @Override
        public void triple(long[] u, long[] v) {
            pendingTriple = new long[][] {u, v};
        }

        @Override
        public void product(int m, int n, int v, boolean elementwise, long[] u, long[] vv, long[] z0, long[] z1) {
            items.add(new Product(m, n, v, elementwise, u, vv, z0, z1));
        }

        public List<Item> items() {
            return List.copyOf(items);
        }

        /** The items of one kind, in dealing order. */
        public <T extends Item> List<T> all(Class<T> kind) {
            List<T> r = new ArrayList<>();
            for (Item i : items) if (kind.isInstance(i)) r.add(kind.cast(i));
            return r;
        }

        /** The masked-reveal DReLU deals, in order: a Ring r, triples, Bits of r′ = r's low 63 bits, a Ring γ. */
        public List<MaskedDrelu> maskedDrelus() {
            List<Item> it = items();
            List<MaskedDrelu> out = new ArrayList<>();
            for (int i = 0; i < it.size(); i++) {
                if (!(it.get(i) instanceof Ring r)) continue;
                int k = i + 1;
                List<Triple> caller = new ArrayList<>();
                while (k < it.size() && it.get(k) instanceof Triple t) {
                    caller.add(t);
                    k++;
                }
                if (k + 1 >= it.size() || !(it.get(k) instanceof Bits b) || !(it.get(k + 1) instanceof Ring g)
                        || !lowBitsOf(b.values(), r.values())) {
                    continue;
                }
                out.add(new MaskedDrelu(r, caller, b, g));
                i = k + 1;
            }
            return out;
        }

        private static boolean lowBitsOf(long[] bits, long[] r) {
            if (bits.length != r.length) return false;
            for (int i = 0; i < r.length; i++) if (bits[i] != (r[i] & Long.MAX_VALUE)) return false;
            return true;
        }

        /** The triples each DReLU dealt for its caller, in order, in either DReLU form. */
        public List<List<Triple>> dreluTriples() {
            List<List<Triple>> out = new ArrayList<>();
            for (Msb m : msbs()) out.add(m.callerTriples());
            for (MaskedDrelu m : maskedDrelus()) out.add(m.callerTriples());
            return out;
        }

        /** The ComputeMSB deals (each DReLU has one), in order. */
        public List<Msb> msbs() {
            List<Item> it = items();
            List<Msb> r = new ArrayList<>();
            for (int i = 0; i < it.size(); i++) {
                if (!(it.get(i) instanceof RandomOdd x)) continue;
                Sc sc = null;
                if (i >= 3 && it.get(i - 3) instanceof Odd d && it.get(i - 2) instanceof Bits b
                        && it.get(i - 1) instanceof Odd e) {
                    sc = new Sc(d, b, e);
                }
                int k = i + 1;
                Ring lsb = (Ring) it.get(k++);
                Triple t = (Triple) it.get(k++);
                List<Triple> caller = new ArrayList<>();
                while (it.get(k) instanceof Triple c) {
                    caller.add(c);
                    k++;
                }
                Bits bits = (Bits) it.get(k++);
                Ring beta = (Ring) it.get(k);
                r.add(new Msb(sc, x, lsb, t, caller, bits, beta));
            }
            return r;
        }
    }

    /** A run: the three parties' results and views, and what P2 dealt. */
    public record Run<T>(SeededCluster.Outcome<T> outcome, Dealt dealt) {
        public T of(int party) {
            return outcome.of(party);
        }

        public SeededCluster.PartyRun<T> party(int p) {
            return outcome.party(p);
        }

        /** The session parameters of the run (its Z_67 wire format, chunk sizes). */
        public SessionParams params() {
            return outcome.params();
        }
    }

    /** Runs the job on the three parties of a {@link SeededCluster} and records what P2 deals in it. */
    public static <T> Run<T> run(long seed, Function<PartyContext, T> job) {
        return run(SessionParams.defaults(), seed, job);
    }

    /** As {@link #run(long, Function)}, in a session with the given parameters (e.g. a DReLU form). */
    public static <T> Run<T> run(SessionParams session, long seed, Function<PartyContext, T> job) {
        Dealt d = new Dealt();
        var out = SeededCluster.run(session, seed, ctx -> {
            if (!ctx.isHelper()) return job.apply(ctx);
            DealerTap.install(ctx, d);
            try {
                return job.apply(ctx);
            } finally {
                DealerTap.remove(ctx);
            }
        });
        return new Run<>(out, d);
    }
}
