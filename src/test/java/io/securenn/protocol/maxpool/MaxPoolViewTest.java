package io.securenn.protocol.maxpool;

import io.securenn.runtime.DReluForm;
import io.securenn.runtime.SeededCluster;
import io.securenn.runtime.SessionParams;
import io.securenn.testutil.DealerView;
import io.securenn.testutil.Freshness;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Sessions;
import io.securenn.testutil.Shares2;
import io.securenn.testutil.ViewIndependence;
import io.securenn.testutil.ViewIndependence.RingMessages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Views of Π_MP (both forms, windows of 4): the comparisons' messages are the same in distribution whether
 * every window is all zeros (maximum 0 at index 0, ties keep the first) or strictly increasing large negative
 * values (maximum at index 3), so neither the values nor the argmax leak.
 */
class MaxPoolViewTest {
    static final int COUNT = 4096, WINDOW = 4;

    static SeededCluster.Outcome<MaxPool.Result> run(SessionParams session, Seeded s, long[] windows,
                                                     long expectedIndex, MaxPool.Form form) {
        long[][] sh = Shares2.split(windows, s);
        var out = SeededCluster.run(session, s.rnd.nextLong(), ctx ->
                MaxPool.run(ctx, Shares2.mine(sh, ctx.id()), COUNT, WINDOW, form));
        long[] max = Shares2.add(out.of(0).max(), out.of(1).max());
        long[] index = Shares2.add(out.of(0).index(), out.of(1).index());
        for (int w = 0; w < COUNT; w++) {
            assertThat(max[w]).as(s.msg("max of window " + w)).isEqualTo(windows[w * WINDOW + WINDOW - 1 - (expectedIndex == 0 ? 3 : 0)]);
            assertThat(index[w]).as(s.msg("argmax of window " + w)).isEqualTo(expectedIndex);
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(DReluForm.class)
    void everyMessageIsIndependentOfTheValuesAndTheArgmax(DReluForm drelu) {
        Seeded s = Seeded.fromEnvOr(2505);
        // MaxPool's domain: |x| < 2^61; increasing within each window
        long[] rising = ViewIndependence.largeNegatives(s, COUNT * WINDOW, 60);
        for (int w = 0; w < COUNT; w++) java.util.Arrays.sort(rising, w * WINDOW, (w + 1) * WINDOW);
        for (int w = 0; w < COUNT; w++) {
            for (int i = 1; i < WINDOW; i++) {
                if (rising[w * WINDOW + i] == rising[w * WINDOW + i - 1]) rising[w * WINDOW + i]++; // strictly
            }
        }
        for (MaxPool.Form form : MaxPool.Form.values()) {
            // masked form: frames of 1 MiB, so that no frame of P2's first message (ring values, then bit shares)
            // has the length of the ring-valued messages the test checks for uniformity
            SessionParams session = drelu == DReluForm.PAPER ? Sessions.paper() : Sessions.masked().withFrameLongs(1 << 17);
            var zeros = run(session, s, new long[COUNT * WINDOW], 0, form);
            var increasing = run(session, s, rising, WINDOW - 1, form);
            var report = ViewIndependence.assertIndependent(s, "MaxPool " + form + " " + drelu, zeros, increasing,
                    RingMessages.holdersAndHelperLengths(8 * 2 * COUNT, 8 * COUNT));
            assertThat(report.groups()).as(form.toString()).isGreaterThanOrEqualTo(drelu == DReluForm.PAPER ? 14 : 11);
        }
    }

    static final int WINDOWS = 4096;

    /**
     * count windows of n strictly increasing values (argmax n − 1) with odd gaps, in MaxPool's domain: the
     * differences of neighbours are odd, unlike those of all-zero windows (argmax 0).
     */
    static long[] increasing(Seeded s, int count, int n) {
        long[] w = new long[count * n];
        for (int c = 0; c < count; c++) {
            long v = -(1L << 59) - (s.rnd.nextLong() >>> 5);
            for (int i = 0; i < n; i++) {
                w[c * n + i] = v;
                v += 2 * (s.rnd.nextLong() >>> 24) + 1;
            }
        }
        return w;
    }

    /** Runs MaxPool on the windows shared as given, checks the result, and records what P2 dealt. */
    static DealerView.Run<MaxPool.Result> dealt(Seeded s, long[] windows, long[][] sh, int n, MaxPool.Form form,
                                                long argmax) {
        int count = windows.length / n;
        var run = DealerView.run(s.rnd.nextLong(), ctx ->
                MaxPool.run(ctx, Shares2.mine(sh, ctx.id()), count, n, form));
        long[] max = Shares2.add(run.of(0).max(), run.of(1).max());
        long[] index = Shares2.add(run.of(0).index(), run.of(1).index());
        for (int w = 0; w < count; w++) {
            assertThat(index[w]).as(s.msg("argmax of window " + w)).isEqualTo(argmax);
            assertThat(max[w]).as(s.msg("max of window " + w)).isEqualTo(windows[w * n + (int) argmax]);
        }
        return run;
    }

    /**
     * (U, V, residual) parities of the last comparison's product for the max (triple 0) or the index (triple 1):
     * the residual is P_j's output share minus ⟨Z⟩_j and the public part P0 adds (the index of the candidate that
     * passed unchanged; none for the max, whose P0 part is a share of the input, zero here at P1).
     */
    static long[] lastProduct(DealerView.Run<MaxPool.Result> run, int j, int triple, long p0Offset) {
        DealerView.Triple t = run.dealt().dreluTriples().getLast().get(triple);
        long[] out = triple == 0 ? run.of(j).max() : run.of(j).index();
        long[] res = Freshness.minus(out, t.zShare(j));
        if (j == 0) for (int i = 0; i < res.length; i++) res[i] -= p0Offset;
        return Freshness.parities(t.u(), t.v(), res);
    }

    /**
     * The index shares MaxPool hands on (to DMaxPool, which sends ⟨ind⟩1 mod n to P2), given the triples P2 dealt.
     * The last comparison's index is i_b + β·(i_a − i_b), one Beaver product; where E = β − U and F = (i_a − i_b) − V
     * are both even its residual is even whatever the unknown shares are, and which parities of U and V make them
     * even depends on β and the index difference, i.e. on where the maximum is. In the sequential form (and in the
     * tournament with an odd one out, whose index is public) the other terms do not hide this, so without the
     * refresh P2 tells argmax 0 from argmax n − 1; with it the residual is uniform. (In the tournament over a power of
     * two every index share already carries refreshed DReLU bits with an odd factor: see docs/PROTOCOLS.md.)
     */
    @Test
    void indexSharesAreFreshGivenTheTriples() {
        Seeded s = Seeded.fromEnvOr(2515);
        for (var c : new Object[][] {{MaxPool.Form.SEQUENTIAL, 4, 3L}, {MaxPool.Form.TOURNAMENT, 3, 2L}}) {
            MaxPool.Form form = (MaxPool.Form) c[0];
            int n = (int) c[1];
            long p0Offset = (long) c[2];
            long[] zeros = new long[WINDOWS * n], rising = increasing(s, WINDOWS, n);
            var a = dealt(s, zeros, Shares2.split(zeros, s), n, form, 0);
            var b = dealt(s, rising, Shares2.split(rising, s), n, form, n - 1);
            for (int j = 0; j < 2; j++) {
                Freshness.assertParitiesIndependent(s, "MaxPool " + form + " n = " + n + ": P" + j
                        + "'s index share given the triples", lastProduct(a, j, 1, p0Offset),
                        lastProduct(b, j, 1, p0Offset));
            }
        }
    }

    /**
     * The max shares, with P1's input shares known to P2 (zero: P0 holds the windows), given the triples: the last
     * comparison's max is b + β·(a − b), and with ⟨b⟩1 = 0 its residual is (⟨β⟩1 − E)F + E⟨a − b⟩1, even wherever E
     * and F are. For equal values (a − b = 0) F is even wherever V is; for odd differences it is not. Without the
     * refresh P2 tells the two apart; with it the residual is uniform.
     */
    @Test
    void maxSharesAreFreshGivenTheTriples() {
        Seeded s = Seeded.fromEnvOr(2516);
        for (var c : new Object[][] {{MaxPool.Form.TOURNAMENT, 2}, {MaxPool.Form.SEQUENTIAL, 4}}) {
            MaxPool.Form form = (MaxPool.Form) c[0];
            int n = (int) c[1];
            long[] zeros = new long[WINDOWS * n], rising = increasing(s, WINDOWS, n);
            var a = dealt(s, zeros, Shares2.heldByP0(zeros), n, form, 0);
            var b = dealt(s, rising, Shares2.heldByP0(rising), n, form, n - 1);
            for (int j = 0; j < 2; j++) {
                Freshness.assertParitiesIndependent(s, "MaxPool " + form + " n = " + n + ": P" + j
                        + "'s max share given the triples", lastProduct(a, j, 0, 0), lastProduct(b, j, 0, 0));
            }
        }
    }

    /**
     * The argmax tree's index shares, given the AND tree's triple: for n = 3, candidate 1's one-hot bit is one
     * product of its two factors (1 − b01, b12), and the index Σ i·onehot_i has its parity. Where E and F of that
     * product are even the residual is even, and which (U, V) parities that takes depends on the factors, i.e. on
     * where the maximum is: argmax 0 (factors 0, 1) against argmax 2 (factors 1, 0). The product's own refresh
     * (MatMul's) is what hides it.
     */
    @Test
    void argmaxIndexSharesAreFreshGivenTheTriples() {
        Seeded s = Seeded.fromEnvOr(2517);
        int n = 3;
        long[][] h = new long[4][];
        for (int t = 0; t < 2; t++) {
            long[] w = t == 0 ? new long[WINDOWS * n] : increasing(s, WINDOWS, n);
            long[][] sh = Shares2.split(w, s);
            var run = DealerView.run(s.rnd.nextLong(), ctx ->
                    MaxPool.argmax(ctx, Shares2.mine(sh, ctx.id()), WINDOWS, n));
            long[] index = Shares2.add(run.of(0), run.of(1));
            for (long i : index) assertThat(i).as(s.msg("argmax")).isEqualTo(t == 0 ? 0 : n - 1);
            DealerView.Product p = run.dealt().all(DealerView.Product.class).getFirst();
            long[] u = new long[WINDOWS], v = new long[WINDOWS];
            for (int k = 0; k < WINDOWS; k++) {
                u[k] = p.u()[k * n + 1];   // candidate 1 of window k: group k·n + 1, one product
                v[k] = p.vv()[k * n + 1];
            }
            for (int j = 0; j < 2; j++) {
                long[] res = run.of(j).clone(), z = p.zShare(j);
                for (int k = 0; k < WINDOWS; k++) res[k] -= z[k * n + 1];
                h[2 * t + j] = Freshness.parities(u, v, res);
            }
        }
        for (int j = 0; j < 2; j++) {
            Freshness.assertParitiesIndependent(s, "argmax n = 3: P" + j + "'s index share given the AND tree's triple",
                    h[j], h[2 + j]);
        }
    }
}

