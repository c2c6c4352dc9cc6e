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
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented per-element costs, as numbers, in both Z_67 wire formats, against the table (paper
 * Tables 1–2): bytes are at or under it in both formats, rounds at or under it. The protocol tests check that
 * each run sends exactly what these formulas say.
 */
class CostTableTest {

    /** {PrivateCompare, ShareConvert, ComputeMSB, DReLU, ReLU, MaxPool per comparison, Division per bit}. */
    static long[] perElement(ZpWire w) {
        return new long[] {PrivateCompare.bytes(w, 1), ShareConvert.bytes(w, 1), ComputeMSB.bytes(w, 1), DReLU.bytes(w, 1),
                ReLU.bytes(w, 1), MaxPool.bytes(w, 1, 2, MaxPool.Form.SEQUENTIAL) + 40, Division.bytes(w, 1, 1)};
    }

    static final long[] PAPER = {128, 304, 360, 664, 704, 744, 704};

    @Test
    void bytesPerElementInBothFormatsAreAtOrUnderThePapersTable() {
        long[] bytes = perElement(ZpWire.BYTE);
        long[] packed = perElement(ZpWire.PACKED7);
        assertThat(bytes).containsExactly(128, 224, 264, 488, 528, 568, 528);
        assertThat(packed).containsExactly(112, 200, 240, 440, 480, 520, 480);
        for (int i = 0; i < PAPER.length; i++) {
            assertThat(bytes[i]).isLessThanOrEqualTo(PAPER[i]);
            assertThat(packed[i]).isLessThan(bytes[i]);
        }
        assertThat(SelectShare.bytes(1)).isEqualTo(40);
        for (int n : new int[] {1, 2, 4, 16, 256, 1024}) {
            assertThat(DMaxPool.bytes(1, n)).isLessThanOrEqualTo(16L * (n + 1));
        }
        assertThat(DMaxPool.bytes(1, 4)).isEqualTo(2 + 32);
        // bytes are linear in the element count (no per-call overhead)
        for (ZpWire w : ZpWire.values()) {
            assertThat(DReLU.bytes(w, 1000)).isEqualTo(1000 * DReLU.bytes(w, 1));
            assertThat(ShareConvert.bytes(w, 777)).isEqualTo(777 * ShareConvert.bytes(w, 1));
        }
    }

    @Test
    void roundsAreAtOrUnderThePapersTable() {
        assertThat(PrivateCompare.rounds()).isEqualTo(1);
        assertThat(ShareConvert.rounds()).isEqualTo(4);
        assertThat(ComputeMSB.rounds()).isEqualTo(4).isLessThan(5);
        assertThat(DReLU.rounds()).isEqualTo(8);
        assertThat(ReLU.rounds()).isEqualTo(9).isLessThan(10);
        assertThat(MaxPool.rounds(2, MaxPool.Form.SEQUENTIAL)).isEqualTo(9);
        assertThat(DMaxPool.rounds()).isEqualTo(2);
        assertThat(Division.rounds(1)).isEqualTo(9).isLessThan(10);
        assertThat(SelectShare.rounds()).isEqualTo(1);
    }
}
