package io.securenn.runtime;

import io.securenn.random.Prg;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The session's weight mask streams: the two holders of each pair with P2 draw the same stream per operand, P0 and P1
 * hold none between them (and their common stream is untouched), and no mask stream shares a position with another
 * operand's or with any batch's stream, under the same master or another.
 */
class WeightMaskStreamsTest {

    @Test
    void theHoldersOfEachPairWithP2DrawTheSameStreamPerOperandAndP0AndP1HoldNone() throws Exception {
        LocalCluster.Results<long[][]> drawn = LocalCluster.run(ctx -> {
            long common = ctx.isHelper() ? -1 : ctx.common().position();
            long[] before = ctx.isHelper() ? new long[] {ctx.pair(0).position(), ctx.pair(1).position()} : new long[] {ctx.pair(2).position()};
            WeightMaskStreams s = WeightMaskStreams.from(ctx);
            if (!ctx.isHelper()) {
                assertThat(ctx.common().position()).as("P0 and P1 leave their common stream alone").isEqualTo(common);
                assertThat(ctx.pair(2).position()).isEqualTo(before[0] + 32);
                assertThatThrownBy(() -> s.stream(1 - ctx.id(), 0)).isInstanceOf(IllegalArgumentException.class);
            } else {
                assertThat(ctx.pair(0).position()).isEqualTo(before[0] + 32);
                assertThat(ctx.pair(1).position()).isEqualTo(before[1] + 32);
            }
            long[][] out = new long[6][];
            for (int k = 0; k < 3; k++) {
                if (ctx.isHelper()) {
                    out[2 * k] = s.stream(0, k).longs(16);
                    out[2 * k + 1] = s.stream(1, k).longs(16);
                } else {
                    out[2 * k + ctx.id()] = s.stream(2, k).longs(16);
                }
            }
            // a stream is made anew from its start at every call: the same values again
            if (!ctx.isHelper()) assertThat(s.stream(2, 1).longs(16)).containsExactly(out[2 + ctx.id()]);
            s.wipe();
            assertThatThrownBy(() -> s.stream(ctx.isHelper() ? 0 : 2, 0)).isInstanceOf(IllegalStateException.class);
            return out;
        });
        for (int k = 0; k < 3; k++) {
            assertThat(drawn.values().get(0)[2 * k]).as("P0–P2, operand " + k).containsExactly(drawn.values().get(2)[2 * k]);
            assertThat(drawn.values().get(1)[2 * k + 1]).as("P1–P2, operand " + k).containsExactly(drawn.values().get(2)[2 * k + 1]);
            assertThat(drawn.values().get(2)[2 * k]).as("the pairs' streams differ").isNotEqualTo(drawn.values().get(2)[2 * k + 1]);
        }
        assertThat(drawn.values().get(2)[0]).as("operands' streams differ").isNotEqualTo(drawn.values().get(2)[2]);
    }

    /**
     * Every 16-byte block of the first 256 blocks of 64 operands' mask streams and of 64 batches' streams under the
     * same master is distinct (a repeat would mean a mask and a batch, or two operands, drawing one position of one
     * stream); the derivation is deterministic; a mask stream's name is none of the batch streams'.
     */
    @Test
    void noMaskStreamSharesAPositionWithABatchStreamOrAnotherOperand() {
        Seeded s = Seeded.fromEnvOr(1650);
        byte[] master = new byte[32];
        for (int i = 0; i < 32; i++) master[i] = (byte) s.rnd.nextInt();
        Map<String, String> seen = new HashMap<>();
        int count = 64, blocks = 256;
        for (int kind = 0; kind < 2; kind++) {
            for (long k = 0; k < count; k++) {
                Prg p = kind == 0 ? BatchStreams.derive(master, k) : BatchStreams.derive(master, WeightMaskStreams.LABEL, k);
                byte[] bytes = p.bytes(16 * blocks);
                String who = (kind == 0 ? "batch " : "operand ") + k;
                for (int b = 0; b < blocks; b++) {
                    String block = HexFormat.of().formatHex(bytes, 16 * b, 16 * b + 16);
                    assertThat(seen.put(block, who + " block " + b)).as(s.msg("block repeated: " + who + " block " + b + " and "
                            + seen.get(block))).isNull();
                }
            }
        }
        assertThat(BatchStreams.derive(master, WeightMaskStreams.LABEL, 5).bytes(64))
                .containsExactly(BatchStreams.derive(master, WeightMaskStreams.LABEL, 5).bytes(64));
        for (long k = 0; k < count; k++) {
            String mask = HexFormat.of().formatHex(BatchStreams.nameOf(master, WeightMaskStreams.LABEL, k));
            for (long b = 0; b < count; b++) {
                assertThat(HexFormat.of().formatHex(BatchStreams.nameOf(master, BatchStreams.LABEL, b))).isNotEqualTo(mask);
            }
        }
    }
}
