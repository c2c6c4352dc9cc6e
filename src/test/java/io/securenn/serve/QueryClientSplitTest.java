package io.securenn.serve;

import io.securenn.ring.FixedPoint;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The client's sharing of a query: exact, and the mask fresh and uniform from query to query. */
class QueryClientSplitTest {
    @Test
    void sharesAddUpToTheEncodingOnRandomAndEdgeInputs() {
        long seed = new Random().nextLong();
        Random rnd = new Random(seed);
        double[] x = new double[1000];
        for (int i = 0; i < x.length; i++) x[i] = (rnd.nextDouble() - 0.5) * 2000;
        double[] edges = {0, -0.0, 1, -1, 1.0 / 8192, -1.0 / 8192, 1e6, -1e6, Double.MIN_VALUE};
        System.arraycopy(edges, 0, x, 0, edges.length);
        QueryClient.Split s = QueryClient.split(x, QueryClient.maskStream());
        for (int i = 0; i < x.length; i++) {
            assertThat(s.toP0()[i] + s.toP1()[i]).as("value %d, seed %d", i, seed).isEqualTo(FixedPoint.encode(x[i]));
        }
    }

    @Test
    void theMaskIsFreshPerQueryAndItsBitsBalanced() {
        double[] x = new double[784];   // the same input every time: only the mask varies
        int queries = 64;
        var other = QueryClient.maskStream();
        Set<Long> seen = new HashSet<>();
        Set<String> ids = new HashSet<>();
        long[] ones = new long[64];
        long total = 0;
        var stream = QueryClient.maskStream();
        for (int q = 0; q < queries; q++) {
            // one client's queries from its one stream, every other query from a second client's
            QueryClient.Split s = QueryClient.split(x, q % 2 == 0 ? stream : other);
            assertThat(ids.add(Arrays.toString(s.qid()))).as("query ids repeat").isTrue();
            for (long v : s.toP0()) {
                assertThat(seen.add(v)).as("a share to P0 repeats (the mask is not fresh)").isTrue();
                for (int b = 0; b < 64; b++) ones[b] += (v >>> b) & 1;
                total++;
            }
        }
        // each bit of a uniform 64-bit value is 1 with probability 1/2: |ones − n/2| ≤ 6σ, σ = √n / 2
        double sigma = Math.sqrt(total) / 2;
        for (int b = 0; b < 64; b++) {
            assertThat(Math.abs(ones[b] - total / 2.0)).as("bit %d set %d times of %d", b, ones[b], total).isLessThan(6 * sigma);
        }
    }
}
