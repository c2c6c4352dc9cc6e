package io.securenn.protocol;

import io.securenn.SecureNnException;
import io.securenn.protocol.drelu.DReLU;
import io.securenn.protocol.shareconvert.ShareConvert;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.PartyContext;
import io.securenn.transport.PeerFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A helper whose dealt message has the right size but values outside their ring (here: every byte 0xff) is
 * caught by P1 as misbehaviour of P2, and every party ends naming P2, none hangs.
 */
@Timeout(30)
class MisbehavingHelperTest {

    @Test
    void outOfRangeDealtSharesAreMisbehaviourOfP2() {
        int n = 5;
        PeerFailure[] seen = new PeerFailure[3];
        Throwable t = catchThrowable(() -> LocalCluster.run(ctx -> {
            try {
                if (!ctx.isHelper()) return DReLU.run(ctx, new long[n], n);
                ctx.receiveLongs(PartyContext.P0, n); // the masked shares, as an honest P2 would receive them
                ctx.receiveLongs(PartyContext.P1, n);
                byte[] junk = new byte[(int) ShareConvert.dealBytes(ctx.params().zpWire(), n)];   // P2's first message: δ and bit shares
                Arrays.fill(junk, (byte) 0xff);
                ctx.sendBytes(PartyContext.P1, junk);
                return ctx.receiveLongs(PartyContext.P1, 1); // waits until the others give up
            } catch (PeerFailure f) {
                seen[ctx.id()] = f;
                throw f;
            }
        }));
        assertThat(t).isInstanceOf(PeerFailure.class);
        assertThat(seen[1].getMessage()).startsWith("peer P2 misbehaved: it sent a ");
        assertThat(seen[0].getMessage()).isEqualTo("peer P2 misbehaved (reported by P1)");
        for (int p = 0; p < 2; p++) {
            assertThat(seen[p].lostParty()).isEqualTo(2);
            assertThat(seen[p].kind()).isEqualTo(SecureNnException.Kind.PEER_MISBEHAVED);
        }
        assertThat(seen[2]).as("P2 is stopped too").isNotNull();
    }
}
