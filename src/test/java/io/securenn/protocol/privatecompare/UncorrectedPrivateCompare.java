package io.securenn.protocol.privatecompare;

import io.securenn.random.Prg;
import io.securenn.ring.Zp;
import io.securenn.runtime.PartyContext;

/**
 * TEST CODE ONLY: Π_PC as the paper's box writes it, without correction 1 (no m_i), so the view tests can show
 * what the correction prevents: ⟨d_i⟩_j = s_i·⟨c_i⟩_j, and the ratio of the two shares cancels s_i.
 */
final class UncorrectedPrivateCompare {
    private UncorrectedPrivateCompare() {}

    static void send(PartyContext ctx, byte[] x, long[] r, long[] beta, int n) {
        Prg common = ctx.common();
        int len = n * PrivateCompare.BITS;
        byte[] s = common.nonZeroModP(len);
        byte[] perm = common.permutations(n, PrivateCompare.BITS);
        byte[] u = common.nonZeroModP(PrivateCompare.BITS * PrivateCompare.countAllOnesBranch(r, beta));
        byte[] c = PrivateCompare.cShares(ctx.id(), x, r, beta, u, n);
        byte[] d = new byte[len];
        for (int e = 0; e < n; e++)
            for (int k = 0; k < PrivateCompare.BITS; k++) {
                int i = e * PrivateCompare.BITS + (perm[e * PrivateCompare.BITS + k] & 0xff);
                d[e * PrivateCompare.BITS + k] = (byte) (s[i] * c[i] % Zp.P);
            }
        PrivateCompare.sendZp(ctx, PartyContext.P2, d);
    }
}
