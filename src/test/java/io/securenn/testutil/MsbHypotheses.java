package io.securenn.testutil;

/**
 * What P2 knows of ComputeMSB's output shares before their refresh, from what it dealt ({@link DealerView.Msb}):
 * x, the shares of x's LSB and of β′, the triple of θ = γ·δ. P_j's share is
 * ⟨γ⟩_j + ⟨δ⟩_j − 2⟨θ⟩_j with ⟨θ⟩_j = ⟨Z⟩_j + (⟨γ⟩_j − j·E)·F + E·⟨δ⟩_j, E = γ − U, F = δ − V, where
 * γ = β′ ⊕ β and δ = x[0] ⊕ r[0]: the only things P2 does not know are the common bit β and r's LSB. So it has four
 * hypotheses (h = 2β + r[0]), each giving the share and the MSB γ ⊕ δ: without the refresh, the matching one tells
 * P2 the MSB of the secret.
 */
public final class MsbHypotheses {
    public static final int COUNT = 4;

    private final long[] betaPrime, x, u, v;
    private final long[][] bp, lsb, z;

    public MsbHypotheses(DealerView.Msb d) {
        betaPrime = d.betaPrime().values();
        x = d.x().x();
        u = d.triple().u();
        v = d.triple().v();
        bp = new long[][] {d.betaPrime().share(0), d.betaPrime().share(1)};
        lsb = new long[][] {d.lsb().share(0), d.lsb().share(1)};
        z = new long[][] {d.triple().zShare(0), d.triple().zShare(1)};
    }

    /** P_j's share of MSB (not refreshed) of element e under hypothesis h. */
    public long share(int e, int j, int h) {
        long beta = h >> 1, r0 = h & 1;
        long gamma = betaPrime[e] ^ beta, delta = (x[e] & 1) ^ r0;
        long gj = beta == 0 ? bp[j][e] : j - bp[j][e];
        long dj = r0 == 0 ? lsb[j][e] : j - lsb[j][e];
        long bigE = gamma - u[e], bigF = delta - v[e];
        long theta = z[j][e] + (gj - j * bigE) * bigF + bigE * dj;
        return gj + dj - 2 * theta;
    }

    /** The MSB (γ ⊕ δ) of element e under hypothesis h. */
    public int msb(int e, int h) {
        return (int) ((betaPrime[e] ^ (h >> 1)) ^ ((x[e] & 1) ^ (h & 1)));
    }
}
