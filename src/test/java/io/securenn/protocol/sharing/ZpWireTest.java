package io.securenn.protocol.sharing;

import io.securenn.SecureNnException;
import io.securenn.protocol.drelu.DReLU;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.DReluForm;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.SeededCluster;
import io.securenn.runtime.SessionParams;
import io.securenn.testutil.Check;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.Shares2;
import io.securenn.transport.PeerFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZpWireTest {

    @ParameterizedTest
    @EnumSource(ZpWire.class)
    void roundTripsEveryValueAtEveryPositionAndLength(ZpWire w) {
        Seeded s = Seeded.fromEnvOr(1601);
        for (int count = 0; count <= 70; count++) {
            for (int trial = 0; trial < 20; trial++) {
                byte[] v = new byte[count];
                for (int i = 0; i < count; i++) v[i] = (byte) (trial < 2 ? (trial == 0 ? 0 : 66) : s.rnd.nextInt(67));
                ByteBuffer b = ByteBuffer.allocate(w.bytes(count));
                w.encode(v, 0, count, b);
                assertThat(b.hasRemaining()).isFalse();
                b.flip();
                byte[] back = new byte[count];
                assertThat(w.decode(b, count, back, 0)).isTrue();
                assertThat(back).containsExactly(v);
            }
        }
        assertThat(ZpWire.BYTE.bytes(64)).isEqualTo(64);
        assertThat(ZpWire.PACKED7.bytes(64)).isEqualTo(56);
        assertThat(ZpWire.PACKED7.bytes(3)).isEqualTo(3);
    }

    /** Heap buffers take the PEXT/PDEP fast path, direct buffers the byte loop: same bytes, same verdicts. */
    @Test
    void packedFastPathMatchesTheByteLoop() {
        Seeded s = Seeded.fromEnvOr(1603);
        ZpWire w = ZpWire.PACKED7;
        for (int count : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4099}) {
            byte[] v = new byte[count];
            for (int i = 0; i < count; i++) v[i] = (byte) s.rnd.nextInt(67);
            ByteBuffer heap = ByteBuffer.allocate(w.bytes(count) + 5).position(3);
            ByteBuffer direct = ByteBuffer.allocateDirect(w.bytes(count));
            w.encode(v, 0, count, heap);
            w.encode(v, 0, count, direct);
            assertThat(heap.position()).as(s.msg("position, count " + count)).isEqualTo(3 + w.bytes(count));
            byte[] a = java.util.Arrays.copyOfRange(heap.array(), 3, 3 + w.bytes(count)), b = new byte[a.length];
            direct.flip().get(b);
            assertThat(a).as(s.msg("bytes, count " + count)).isEqualTo(b);
            byte[] back = new byte[count];
            assertThat(w.decode(ByteBuffer.wrap(a), count, back, 0)).isTrue();
            assertThat(back).as(s.msg("decoded, count " + count)).isEqualTo(v);
            // one value pushed out of Z_67 at each position is caught on the fast path
            for (int at = 0; at < count; at += Math.max(1, count / 37)) {
                byte[] bad = v.clone();
                bad[at] = (byte) (67 + s.rnd.nextInt(61));
                ByteBuffer enc = ByteBuffer.allocate(w.bytes(count));
                w.encode(bad, 0, count, enc);
                assertThat(w.decode(enc.flip(), count, new byte[count], 0)).as(s.msg("value at " + at)).isFalse();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ZpWire.class)
    void valuesOutsideZ67AreDetected(ZpWire w) {
        int count = 13;
        byte[] raw = new byte[w.bytes(count)];
        raw[0] = (byte) 0x7f;   // 127 in the first value, in both formats
        byte[] out = new byte[count];
        assertThat(w.decode(ByteBuffer.wrap(raw), count, out, 0)).isFalse();
    }

    @Test
    void packedPaddingBitsMustBeZero() {
        byte[] raw = new byte[ZpWire.PACKED7.bytes(1)];
        raw[0] = (byte) 0x80;   // value 0 with the unused top bit set
        assertThat(ZpWire.PACKED7.decode(ByteBuffer.wrap(raw), 1, new byte[1], 0)).isFalse();
    }

    @Test
    void propertyNamesTheFormat() {
        assertThat(ZpWire.fromProperty(null)).isEqualTo(ZpWire.PACKED7);
        assertThat(ZpWire.fromProperty("byte")).isEqualTo(ZpWire.BYTE);
        assertThat(ZpWire.fromProperty("packed7")).isEqualTo(ZpWire.PACKED7);
        assertThatThrownBy(() -> ZpWire.fromProperty("nibbles")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void drelUIsExactWithOneByteZ67AndPackingSavesSixVectorsOfEightBytes() {
        Seeded s = Seeded.fromEnvOr(1602);
        int n = 20_000;
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = s.rnd.nextLong() >> 2;
        v[0] = 0;
        v[1] = -1;
        long[][] sh = Shares2.split(v, s);
        // the paper's DReLU form, whose six Z_67 vectors the comment below counts
        SessionParams paper = SessionParams.defaults().withDReluForm(DReluForm.PAPER);
        var out = SeededCluster.run(paper.withZpWire(ZpWire.BYTE), s.seed,
                ctx -> DReLU.run(ctx, Shares2.mine(sh, ctx.id()), n));
        assertThat(out.bytes()).isEqualTo(DReLU.bytes(out.params(), n));
        long[] expect = new long[n];
        for (int i = 0; i < n; i++) expect[i] = v[i] >= 0 ? 1 : 0;
        Check.equal(s, expect, Shares2.add(out.of(0), out.of(1)), i -> "DReLU(" + v[i] + ")");
        // 6 Z_67 vectors of 64 values per element (two bit-share deals, two Π_PC pairs): 64 bytes each, 56 packed
        assertThat(out.bytes()).isEqualTo(488L * n);
        assertThat(out.rounds()).isEqualTo(8);
        assertThat(DReLU.bytes(paper, n)).isEqualTo(440L * n);
        // the masked form's three vectors (one deal, one Π_PC pair): 224 B one-byte, 200 B packed
        assertThat(DReLU.bytes(SessionParams.defaults().withZpWire(ZpWire.BYTE), n)).isEqualTo(224L * n);
        assertThat(DReLU.bytes(SessionParams.defaults(), n)).isEqualTo(200L * n);
    }

    @Test
    void aHelperSendingValuesOutsideZ67IsNamedAsMisbehaving() {
        assertThatThrownBy(() -> LocalCluster.run(ctx -> {
            if (ctx.isHelper()) {
                byte[] junk = new byte[64];
                junk[5] = 100;
                ctx.sendBytes(PartyContext.P1, junk);
                return null;
            }
            HelperMessage msg = HelperMessage.open(ctx, HelperMessage.bitsBytes(ctx.params().zpWire(), 1));
            msg.bitsZ67(null, 1);
            msg.deliver();
            return null;
        })).isInstanceOf(PeerFailure.class).hasMessageContaining("P2")
                .extracting(e -> ((SecureNnException) e).kind()).isEqualTo(SecureNnException.Kind.PEER_MISBEHAVED);
    }
}
