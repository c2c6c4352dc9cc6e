package io.securenn.testutil;

import io.securenn.runtime.SeededCluster;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Views across the batches of one session (docs/PROTOCOLS.md, "Stationary weight masks"): what a party learns is not
 * only each batch's messages, which {@link ViewIndependence} tests, but how they relate from batch to batch. In the
 * ideal view every value P0 and P1 open between them (each E of each batch, each F where one travels) is a fresh
 * uniform vector, whatever the inputs: a repeated query, a weight before and after an update. The simulator here
 * draws exactly that: the same lengths, every value fresh and uniform (it needs no F: F = Y − V is uniform, and a
 * stationary F is opened once, so it is one value of the list). The statistic is the difference of every two values
 * of the same length, which is uniform in the ideal view (the two are independent and uniform) and is X₁ − X₂ where
 * a mask U repeats, Y − Y′ where a V is kept across a weight update, Y₁ − Y₂ where two weights share a V.
 */
public final class AcrossBatches {
    private AcrossBatches() {}

    /** The frames a receiver got from a sender, in order, as ring values. */
    public static List<long[]> received(SeededCluster.Outcome<?> o, int receiver, int sender) {
        List<long[]> out = new ArrayList<>();
        for (byte[] f : o.party(receiver).from(sender)) out.add(ViewStats.longs(f));
        return out;
    }

    /**
     * The values P0 and P1 open between them, in order: the k-th frame P0 received from P1 plus the k-th P1 received
     * from P0 (each message one frame: keep them under the session's frame size). Both holders know each of them.
     */
    public static List<long[]> openings(SeededCluster.Outcome<?> o) {
        List<long[]> a = received(o, 0, 1), b = received(o, 1, 0);
        assertThat(a.size()).as("messages each way between P0 and P1").isEqualTo(b.size());
        List<long[]> out = new ArrayList<>();
        for (int k = 0; k < a.size(); k++) {
            assertThat(a.get(k).length).as("message " + k + " each way").isEqualTo(b.get(k).length);
            out.add(Shares2.add(a.get(k), b.get(k)));
        }
        return out;
    }

    /** The simulator's view: values of the same lengths in the same order, each fresh and uniform. */
    public static List<long[]> simulated(Seeded s, List<long[]> real) {
        List<long[]> out = new ArrayList<>();
        for (long[] v : real) out.add(s.longs(v.length));
        return out;
    }

    /**
     * Every value, and the difference of every two values of the same length, is uniform (its bytes, and its top 8
     * bits when it has {@link ViewIndependence#MIN_LONGS_FOR_HIGH_BYTE} values) and distributed as the simulator's
     * (two-sample chi-square; false-positive rate about 1e-9 per comparison). Returns the number of pairs compared,
     * so a test can check it covered the pairs it meant to.
     */
    public static int assertFreshAcrossBatches(Seeded s, String what, List<long[]> real, List<long[]> simulated) {
        assertThat(simulated.size()).as(s.msg(what + ": the simulator's values")).isEqualTo(real.size());
        for (int i = 0; i < real.size(); i++) check(s, what + ": value " + i, real.get(i), simulated.get(i));
        int pairs = 0;
        for (int i = 0; i < real.size(); i++) {
            for (int j = i + 1; j < real.size(); j++) {
                if (real.get(i).length != real.get(j).length) continue;
                check(s, what + ": value " + i + " less value " + j, Freshness.minus(real.get(i), real.get(j)),
                        Freshness.minus(simulated.get(i), simulated.get(j)));
                pairs++;
            }
        }
        return pairs;
    }

    private static void check(Seeded s, String what, long[] real, long[] sim) {
        assertThat(real.length).as(s.msg(what + ": too few values for a chi-square test")).isGreaterThanOrEqualTo(ViewIndependence.MIN_BYTES / 8);
        ViewStats.assertUniform(s, ViewStats.byteHistogram(real), what + ": bytes uniform");
        ViewStats.assertSameDistribution(s, ViewStats.byteHistogram(real), ViewStats.byteHistogram(sim), what + ": bytes as simulated");
        if (real.length >= ViewIndependence.MIN_LONGS_FOR_HIGH_BYTE) {
            ViewStats.assertUniform(s, ViewStats.highByteHistogram(real), what + ": top 8 bits uniform");
            ViewStats.assertSameDistribution(s, ViewStats.highByteHistogram(real), ViewStats.highByteHistogram(sim),
                    what + ": top 8 bits as simulated");
        }
    }
}
