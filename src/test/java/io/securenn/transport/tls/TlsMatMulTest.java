package io.securenn.transport.tls;

import io.securenn.protocol.matmul.MatMul;
import io.securenn.protocol.sharing.Sharing;
import io.securenn.runtime.Cluster;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.SessionParams;
import io.securenn.tensor.MatrixOps;
import io.securenn.testutil.Seeded;
import io.securenn.transport.FramedTransport;
import io.securenn.transport.InMemoryTransports;
import io.securenn.transport.TlsProvider;
import io.securenn.transport.Transport;
import io.securenn.transport.TransportOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The same protocol over the in-memory transport and over TLS loopback: same results, same payload bytes and rounds. */
@Timeout(60)
@ParameterizedClass
@EnumSource(value = TlsProvider.class, names = {"JDK", "BORINGSSL", "NONE"})
class TlsMatMulTest {
    private final TransportOptions options;

    /** NONE (plain TCP) too: the payload bytes and rounds must not depend on what secures the links. */
    TlsMatMulTest(TlsProvider provider) {
        options = TransportOptions.defaults().withTls(provider).withInsecurePlainTcp(provider == TlsProvider.NONE);
    }

    /** What one run of the job reports: P0's revealed product and each party's bytes sent and rounds. */
    private record Run(long[] product, long[] bytes, int[] rounds, long[] wire) {}

    private static Run run(Transport[] ts, long[] x, long[] y, int m, int n, int v) {
        var res = LocalCluster.run(ts, "test-matmul", m + "x" + n + "x" + v, SessionParams.defaults(), ctx -> {
            long[] xs = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? x : null, m * n);
            long[] ys = Sharing.dealFrom(ctx, 0, ctx.id() == 0 ? y : null, n * v);
            var before = ctx.stats().snapshot();
            long[] w = MatMul.run(ctx, List.of(MatMul.Spec.matrix(xs, ys, m, n, v),
                    MatMul.Spec.hadamard(xs, xs, m * n)))[0];
            var cost = ctx.stats().snapshot().minus(before);
            long[] out = Sharing.reveal(ctx, w, Sharing.Recipient.P0);
            return new Object[] {out, cost};
        });
        long[] bytes = new long[3], wire = new long[3];
        int[] rounds = new int[3];
        for (int p = 0; p < 3; p++) {
            var c = (io.securenn.transport.CommStats.Snapshot) res.of(p)[1];
            bytes[p] = c.bytesSent();
            rounds[p] = c.clock();
            wire[p] = ((FramedTransport) ts[p]).wireBytes();
        }
        return new Run((long[]) res.of(0)[0], bytes, rounds, wire);
    }

    @Test
    void matMulOverTlsEqualsInMemoryAndPlaintext() {
        Seeded s = Seeded.fromEnvOr(2024);
        int m = 17, n = 40, v = 9;
        long[] x = s.longs(m * n), y = s.longs(n * v);
        // edge values, including ones whose shares wrap
        long[] edges = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 8192, -8192};
        System.arraycopy(edges, 0, x, 0, edges.length);
        System.arraycopy(edges, 0, y, 3, edges.length);
        Run mem = run(InMemoryTransports.create(), x, y, m, n, v);
        Run tls = run(Cluster.local(options), x, y, m, n, v);

        long[] expect = MatrixOps.multiplyNaive(x, y, m, n, v);
        assertThat(mem.product()).as(s.msg("in-memory product")).containsExactly(expect);
        assertThat(tls.product()).as(s.msg("TLS product")).containsExactly(expect);
        assertThat(tls.bytes()).containsExactly(mem.bytes());
        assertThat(tls.rounds()).containsExactly(mem.rounds());
        long total = tls.bytes()[0] + tls.bytes()[1] + tls.bytes()[2];
        assertThat(total).isEqualTo(MatMul.bytes(m, n, v) + MatMul.hadamardBytes(m * n));
        // the links count real wire bytes: every payload byte plus frame headers (and TLS records and handshake)
        for (int p = 0; p < 3; p++) assertThat(tls.wire()[p]).isGreaterThan(tls.bytes()[p]);
    }
}
