package io.securenn.runtime;

import io.securenn.random.Prg;
import io.securenn.transport.FramedTransport;
import io.securenn.transport.InMemoryTransports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pair keys agreed by {@link Session#establish}: both holders of a pair stream draw the same values; no party
 * can reproduce the stream of the pair it is not in, neither from its own streams nor from any 32 bytes it
 * received during set-up (tried as key and IV at every offset; the same search does find each party's own pair
 * keys in what it received, so it would find a leaked one); and every session has fresh keys.
 */
@Timeout(60)
class PairKeysTest {
    static final int DRAW = 64;

    /** One session: the set-up messages each party received, and the first bytes of each of its streams. */
    record Party(List<List<byte[]>> received, byte[][] streams, byte[] local, boolean helperHasCommon) {}

    static Party[] session() throws Exception {
        FramedTransport[] ts = InMemoryTransports.create();
        List<CompletableFuture<Party>> fs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int me = i;
            fs.add(CompletableFuture.supplyAsync(() -> {
                SeededCluster.Recorder rec = new SeededCluster.Recorder(ts[me]);
                PartyContext ctx = Session.establish(rec, "keys-test", "", SessionParams.defaults());
                byte[][] streams = new byte[3][];
                for (int p = 0; p < 3; p++) if (p != me) streams[p] = bytes(ctx.pair(p));
                boolean common = true;
                try {
                    ctx.common();
                } catch (IllegalStateException e) {
                    common = false;
                }
                ctx.close();
                return new Party(rec.frames(), streams, bytes(ctx.local()), common);
            }, runnable -> Thread.ofPlatform().daemon().start(runnable)));
        }
        Party[] out = new Party[3];
        for (int i = 0; i < 3; i++) out[i] = fs.get(i).get();
        return out;
    }

    static byte[] bytes(Prg prg) {
        byte[] b = new byte[DRAW];
        prg.nextBytes(b, 0, DRAW);
        return b;
    }

    /** True if some 32 bytes of what the party received, taken as AES key and IV, give the stream's first bytes. */
    static boolean reproducible(Party party, byte[] stream) {
        for (List<byte[]> fromPeer : party.received()) {
            for (byte[] f : fromPeer) {
                for (int off = 0; off + 32 <= f.length; off++) {
                    Prg guess = new Prg(Arrays.copyOfRange(f, off, off + 16), Arrays.copyOfRange(f, off + 16, off + 32));
                    if (Arrays.equals(bytes(guess), stream)) return true;
                }
            }
        }
        return false;
    }

    @Test
    void eachPartyHoldsExactlyTheKeysOfItsOwnPairs() throws Exception {
        Party[] p = session();
        for (int a = 0; a < 3; a++) {
            for (int b = a + 1; b < 3; b++) {
                assertThat(p[a].streams()[b]).as("P%d-P%d stream at both holders", a, b).isEqualTo(p[b].streams()[a]);
            }
        }
        byte[] s01 = p[0].streams()[1], s02 = p[0].streams()[2], s12 = p[1].streams()[2];
        assertThat(s01).isNotEqualTo(s02).isNotEqualTo(s12);
        assertThat(s02).isNotEqualTo(s12);
        // the stream of the pair a party is not in is none of its own streams ...
        assertThat(List.of(p[0].streams()[1], p[0].streams()[2], p[0].local())).noneMatch(x -> Arrays.equals(x, s12));
        assertThat(List.of(p[1].streams()[0], p[1].streams()[2], p[1].local())).noneMatch(x -> Arrays.equals(x, s02));
        assertThat(List.of(p[2].streams()[0], p[2].streams()[1], p[2].local())).noneMatch(x -> Arrays.equals(x, s01));
        assertThat(p[2].helperHasCommon()).as("P2 has no P0–P1 common stream").isFalse();
        // ... and cannot be made from anything it received
        assertThat(reproducible(p[0], s12)).as("P0 reproduces the P1–P2 stream").isFalse();
        assertThat(reproducible(p[1], s02)).as("P1 reproduces the P0–P2 stream").isFalse();
        assertThat(reproducible(p[2], s01)).as("P2 reproduces the P0–P1 stream").isFalse();
        // the search works: the higher-numbered party of each pair received that pair's key
        assertThat(reproducible(p[1], s01)).isTrue();
        assertThat(reproducible(p[2], s02)).isTrue();
        assertThat(reproducible(p[2], s12)).isTrue();
    }

    @Test
    void everySessionHasFreshKeys() throws Exception {
        Party[] first = session(), second = session();
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                if (a != b) assertThat(second[a].streams()[b]).as("P%d-P%d stream", a, b).isNotEqualTo(first[a].streams()[b]);
            }
            assertThat(second[a].local()).as("P%d's private stream", a).isNotEqualTo(first[a].local());
        }
    }
}
