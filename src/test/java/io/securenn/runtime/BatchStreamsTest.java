package io.securenn.runtime;

import io.securenn.random.Prg;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-batch streams: both holders of a pair agree, and no two batches ever draw the same stream position. */
class BatchStreamsTest {

    @Test
    void bothHoldersOfEveryPairDrawTheSameBatchStreams() throws Exception {
        LocalCluster.Results<long[][]> drawn = LocalCluster.run(ctx -> {
            BatchStreams s = BatchStreams.from(ctx);
            long[][] out = new long[3][];
            for (int peer = 0; peer < 3; peer++) {
                if (peer == ctx.id()) continue;
                PartyContext b7 = s.forBatch(7);
                out[peer] = b7.pair(peer).longs(64);
            }
            return out;
        });
        for (int a = 0; a < 3; a++) {
            for (int b = a + 1; b < 3; b++) {
                assertArrayEquals(drawn.values().get(a)[b], drawn.values().get(b)[a], "P" + a + "–P" + b + " batch 7 stream");
            }
        }
    }

    @Test
    void noTwoBatchesShareAStreamPosition() {
        Seeded s = Seeded.fromEnvOr(1616);
        byte[] master = new byte[32];
        for (int i = 0; i < 32; i++) master[i] = (byte) s.rnd.nextInt();
        // every 16-byte block of the first 256 blocks of 64 batches' streams: all distinct (a repeat would mean two
        // batches drew from one position of one stream); also batch 0 of another master
        Map<String, String> seen = new HashMap<>();
        int batches = 64, blocks = 256;
        for (long b = 0; b < batches; b++) {
            Prg p = BatchStreams.derive(master, b);
            byte[] bytes = p.bytes(16 * blocks);
            assertEquals(16L * blocks, p.position());
            for (int k = 0; k < blocks; k++) {
                String block = java.util.HexFormat.of().formatHex(bytes, 16 * k, 16 * k + 16);
                assertNull(seen.put(block, "batch " + b + " block " + k), s.msg("block repeated in batch " + b + " block " + k
                        + " and " + seen.get(block)));
            }
        }
        byte[] other = master.clone();
        other[0] ^= 1;
        byte[] first = BatchStreams.derive(other, 0).bytes(16);
        assertTrue(!seen.containsKey(java.util.HexFormat.of().formatHex(first)), s.msg("another master repeats a block"));
        // the derivation is deterministic: the same master and batch give the same stream
        assertArrayEquals(BatchStreams.derive(master, 5).bytes(64), BatchStreams.derive(master, 5).bytes(64));
    }

    @Test
    void streamsPreparedAheadAreThoseOfTheirBatchAndServeItOnce() throws Exception {
        LocalCluster.Results<long[][]> drawn = LocalCluster.run(ctx -> {
            BatchStreams s = BatchStreams.from(ctx);
            int peer = (ctx.id() + 1) % 3;
            long[][] out = new long[6][];
            s.prepare(3);
            PartyContext b3 = s.forBatch(3);            // the prepared streams
            out[0] = b3.pair(peer).longs(16);
            out[1] = s.forBatch(3).pair(peer).longs(16); // derived again (the same numbers: the server refuses repeats)
            s.prepare(4);
            PartyContext b5 = s.forBatch(5);            // not the prepared batch: 5's own streams
            out[2] = b5.pair(peer).longs(16);
            out[3] = s.forBatch(5).pair(peer).longs(16);
            out[4] = s.forBatch(4).pair(peer).longs(16);
            s.prepare(4);
            out[5] = s.forBatch(4).pair(peer).longs(16);
            assertEquals(16L * 8, b3.pair(peer).position());
            assertTrue(b3.local() != s.forBatch(3).local(), "a fresh private stream per batch context");
            return out;
        });
        for (int p = 0; p < 3; p++) {
            long[][] o = drawn.values().get(p);
            assertArrayEquals(o[1], o[0], "P" + p + ": batch 3 prepared = derived");
            assertArrayEquals(o[3], o[2], "P" + p + ": batch 5 when 4 was prepared");
            assertArrayEquals(o[4], o[5], "P" + p + ": batch 4 prepared = derived");
            assertTrue(!java.util.Arrays.equals(o[0], o[2]) && !java.util.Arrays.equals(o[2], o[4]), "P" + p + ": batches differ");
        }
    }
}
