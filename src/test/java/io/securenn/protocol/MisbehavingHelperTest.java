package io.securenn.protocol;

import io.securenn.SecureNnException;
import io.securenn.protocol.drelu.DReLU;
import io.securenn.protocol.relu.ReLU;
import io.securenn.protocol.sharing.Beaver;
import io.securenn.protocol.sharing.HelperMessage;
import io.securenn.protocol.shareconvert.ShareConvert;
import io.securenn.runtime.DReluForm;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SessionParams;
import io.securenn.transport.PeerFailure;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A helper whose dealt message has the right size but values outside their ring (here: every byte 0xff) is
 * caught by P1 as misbehaviour of P2, and every party ends naming P2, none hangs.
 */
@Timeout(30)
class MisbehavingHelperTest {

    /**
     * Paper DReLU form: P2's first message (δ and ShareConvert's bit shares) comes after the masked shares it
     * receives; masked form: P2's first message (⟨r⟩1, a triple's ⟨Z⟩1 and r′'s bit shares) comes first, and the
     * holders run ReLU so that P0 too waits for P1 after the DReLU (it receives nothing from P2 in that form).
     */
    @ParameterizedTest
    @EnumSource(DReluForm.class)
    void outOfRangeDealtSharesAreMisbehaviourOfP2(DReluForm form) {
        int n = 5;
        PeerFailure[] seen = new PeerFailure[3];
        Throwable t = catchThrowable(() -> LocalCluster.run(SessionParams.defaults().withDReluForm(form), ctx -> {
            try {
                if (form == DReluForm.PAPER) {
                    if (!ctx.isHelper()) return DReLU.run(ctx, new long[n], n);
                    ctx.receiveLongs(PartyContext.P0, n); // the masked shares, as an honest P2 would receive them
                    ctx.receiveLongs(PartyContext.P1, n);
                    byte[] junk = new byte[(int) ShareConvert.dealBytes(ctx.params().zpWire(), n)];   // δ and bit shares
                    Arrays.fill(junk, (byte) 0xff);
                    ctx.sendBytes(PartyContext.P1, junk);
                } else {
                    if (!ctx.isHelper()) return ReLU.run(ctx, new long[n], n).relu();
                    // ⟨r⟩1 and ⟨Z⟩1 (any 8 bytes are a ring value), then bit shares of 0xff: out of Z_67
                    byte[] junk = new byte[(int) (HelperMessage.ringBytes(n) + Beaver.dealBytes(n)
                            + HelperMessage.bitsBytes(ctx.params().zpWire(), n))];
                    Arrays.fill(junk, (byte) 0xff);
                    ctx.sendBytes(PartyContext.P1, junk);
                }
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
