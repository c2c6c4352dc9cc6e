package io.securenn.protocol;

import io.securenn.protocol.computemsb.ComputeMSB;
import io.securenn.protocol.division.Division;
import io.securenn.protocol.dmaxpool.DMaxPool;
import io.securenn.protocol.drelu.DReLU;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.protocol.privatecompare.PrivateCompare;
import io.securenn.protocol.relu.ReLU;
import io.securenn.protocol.selectshare.SelectShare;
import io.securenn.protocol.shareconvert.ShareConvert;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.DReluForm;
import io.securenn.runtime.SessionParams;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented per-element costs, as numbers, in both Z_67 wire formats and both DReLU forms, against the issue's
 * table (paper Tables 1–2): bytes are at or under it in every session, rounds at or under it. The protocol tests
 * check that each run sends exactly what these formulas say.
 */
class CostTableTest {

    static SessionParams session(ZpWire w, DReluForm f) {
        return SessionParams.defaults().withZpWire(w).withDReluForm(f);
    }

    /** {PrivateCompare, ShareConvert, ComputeMSB, DReLU, ReLU, MaxPool per comparison, Division per bit}. */
    static long[] perElement(ZpWire w, DReluForm f) {
        SessionParams s = session(w, f);
        return new long[] {PrivateCompare.bytes(w, 1), ShareConvert.bytes(w, 1), ComputeMSB.bytes(w, 1), DReLU.bytes(s, 1),
                ReLU.bytes(s, 1), MaxPool.bytes(s, 1, 2, MaxPool.Form.SEQUENTIAL) + 40, Division.bytes(s, 1, 1)};
    }

    static final long[] PAPER = {128, 304, 360, 664, 704, 744, 704};

    @Test
    void bytesPerElementInBothFormatsAreAtOrUnderThePapersTable() {
        long[] bytes = perElement(ZpWire.BYTE, DReluForm.PAPER);
        long[] packed = perElement(ZpWire.PACKED7, DReluForm.PAPER);
        assertThat(bytes).containsExactly(128, 224, 264, 488, 528, 568, 528);
        assertThat(packed).containsExactly(112, 200, 240, 440, 480, 520, 480);
        long[] maskedBytes = perElement(ZpWire.BYTE, DReluForm.MASKED);
        long[] maskedPacked = perElement(ZpWire.PACKED7, DReluForm.MASKED);
        assertThat(maskedBytes).containsExactly(128, 224, 264, 224, 264, 304, 264);
        assertThat(maskedPacked).containsExactly(112, 200, 240, 200, 240, 280, 240);
        for (int i = 0; i < PAPER.length; i++) {
            assertThat(bytes[i]).isLessThanOrEqualTo(PAPER[i]);
            assertThat(packed[i]).isLessThan(bytes[i]);
            assertThat(maskedBytes[i]).isLessThanOrEqualTo(bytes[i]);
            assertThat(maskedPacked[i]).isLessThan(maskedBytes[i]);
        }
        assertThat(SelectShare.bytes(1)).isEqualTo(40);
        for (int n : new int[] {1, 2, 4, 16, 256, 1024}) {
            assertThat(DMaxPool.bytes(1, n)).isLessThanOrEqualTo(16L * (n + 1));
        }
        assertThat(DMaxPool.bytes(1, 4)).isEqualTo(2 + 32);
        // bytes are linear in the element count (no per-call overhead)
        for (ZpWire w : ZpWire.values()) {
            for (DReluForm f : DReluForm.values()) {
                assertThat(DReLU.bytes(session(w, f), 1000)).isEqualTo(1000 * DReLU.bytes(session(w, f), 1));
            }
            assertThat(ShareConvert.bytes(w, 777)).isEqualTo(777 * ShareConvert.bytes(w, 1));
        }
    }

    @Test
    void roundsAreAtOrUnderThePapersTable() {
        SessionParams paper = session(ZpWire.PACKED7, DReluForm.PAPER), masked = session(ZpWire.PACKED7, DReluForm.MASKED);
        assertThat(PrivateCompare.rounds()).isEqualTo(1);
        assertThat(ShareConvert.rounds()).isEqualTo(4);
        assertThat(ComputeMSB.rounds()).isEqualTo(4).isLessThan(5);
        assertThat(DReLU.rounds(paper)).isEqualTo(8);
        assertThat(DReLU.rounds(masked)).isEqualTo(4);
        assertThat(ReLU.rounds(paper)).isEqualTo(9).isLessThan(10);
        assertThat(ReLU.rounds(masked)).isEqualTo(5);
        assertThat(MaxPool.rounds(paper, 2, MaxPool.Form.SEQUENTIAL)).isEqualTo(9);
        assertThat(MaxPool.rounds(masked, 2, MaxPool.Form.SEQUENTIAL)).isEqualTo(5);
        assertThat(DMaxPool.rounds()).isEqualTo(2);
        assertThat(Division.rounds(paper, 1)).isEqualTo(9).isLessThan(10);
        assertThat(Division.rounds(masked, 1)).isEqualTo(5);
        assertThat(SelectShare.rounds()).isEqualTo(1);
    }

    @Test
    void theDefaultSessionUsesTheMaskedForm() {
        assertThat(SessionParams.defaults().dreluForm()).isEqualTo(DReluForm.MASKED);
    }
}
