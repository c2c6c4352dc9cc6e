package io.securenn.cli;

import io.securenn.SecureNnException;
import io.securenn.data.Npy;
import io.securenn.data.ShareFile;
import io.securenn.model.GraphModel;
import io.securenn.nn.Backend;
import io.securenn.nn.PlainFixedBackend;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.ring.FixedPoint;
import io.securenn.serve.QueryClient;
import io.securenn.serve.ServedModel;
import io.securenn.serve.Server;
import io.securenn.testutil.Ports;
import io.securenn.transport.TlsProvider;
import io.securenn.transport.TransportOptions;
import io.securenn.transport.tls.ClusterConfig;
import io.securenn.transport.tls.HostPort;
import io.securenn.transport.tls.Pem;
import io.securenn.transport.tls.TlsIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code securenn share --model FILE.onnx} and {@code serve --model-shares DIR}: the owner's three files (P0's shares,
 * P1's seed, P2's graph only; owner-only), three servers each loading its own file answer a client with the ONNX
 * model's plaintext twin's outputs, and servers given files of two different dealings refuse to start.
 */
@Timeout(180)
class ServeModelSharesTest {
    private static final Path MLP = Paths.get("src/test/resources/onnx/mlp-dynamo.onnx");

    @TempDir
    Path dir;

    @Test
    void serversLoadTheOwnersSharesOfAnOnnxModel() throws Exception {
        Path shares = dir.resolve("shares"), other = dir.resolve("other");
        CliRun r = CliRun.of("share", "--model", MLP.toString(), "--out", shares.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(CliRun.of("share", "--model", MLP.toString(), "--out", other.toString()).exit()).isZero();
        ServedModel plain = ServedModel.load(MLP.toString(), 0);
        long values = 0;
        for (var ref : plain.graph().parameterRefs()) values += ref.length();
        for (int p = 0; p < 3; p++) {
            Path f = shares.resolve("model-P" + p + ".snns");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
            ShareFile sf = ShareFile.read(f, "model", p);
            assertThat(sf.publicBytes("graph")).isNotEmpty();
            assertThat(sf.seed() != null).as("P" + p + " holds a seed").isEqualTo(p == 1);
            assertThat(sf.values() != null).as("P" + p + " holds values").isEqualTo(p == 0);
        }
        // P2's file is the graph and public sizes only: far smaller than the weights
        assertThat(Files.size(shares.resolve("model-P2.snns"))).isLessThan(values);
        assertThat(Files.size(shares.resolve("model-P0.snns"))).isGreaterThan(8 * values);
        // P0's and P1's shares add up to the owner's weights
        ServedModel m0 = ServedModel.fromShares(shares, 0), m1 = ServedModel.fromShares(shares, 1);
        for (int t = 0; t < plain.tensors().size(); t++) {
            long[] w = plain.tensors().get(t), a = m0.tensors().get(t), b = m1.tensors().get(t);
            for (int i = 0; i < w.length; i++) assertThat(a[i] + b[i]).isEqualTo(w[i]);
        }
        assertThat(ServedModel.fromShares(shares, 2).tensors()).allMatch(t -> t.length == 0);

        TlsIdentity[] ids = new TlsIdentity[3];
        for (int p = 0; p < 3; p++) {
            ids[p] = TlsIdentity.generate(p);
            Pem.writeCertificate(dir.resolve("p" + p + ".crt"), ids[p].certificate(), false);
        }
        TlsIdentity client = TlsIdentity.generateClient(0, TlsIdentity.DEFAULT_VALIDITY);
        Pem.writeCertificate(dir.resolve("client.0.crt"), client.certificate(), false);
        TransportOptions options = TransportOptions.defaults().withIdleTimeout(Duration.ofSeconds(5))
                .withConnectTimeout(Duration.ofSeconds(5));
        Npy.Array in = Npy.read(MLP.resolveSibling("mlp-input.npy"));
        int rows = in.shape()[0];
        double[] x = in.scaled();
        double[] twin = twin(plain, x, rows);
        ClusterConfig[] config = new ClusterConfig[1];
        Server[] servers = new Server[3];
        // each phase on its own ports: a stopped server's thread may still be dialling for a while
        Ports.fixedInAdvance(3, port -> {
            config[0] = cluster(port);
            try {
                for (int p = 0; p < 3; p++) {
                    servers[p] = Server.start(new Server.Options(p, config[0], ids[p], options, 16, Duration.ZERO,
                            Duration.ofSeconds(2), MaxPool.Form.TOURNAMENT), ServedModel.fromShares(shares, p), line -> { });
                }
                long until = System.nanoTime() + 60_000_000_000L;
                while ((servers[0].sessionCount() < 1 || servers[1].sessionCount() < 1 || servers[2].sessionCount() < 1)
                        && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                try (QueryClient c = QueryClient.connect(config[0], client, TlsProvider.AUTO, Duration.ofSeconds(5), Duration.ofSeconds(30))) {
                    assertThat(c.model()).isEqualTo("mlp-dynamo.onnx");
                    QueryClient.Answer a = c.query(x, rows, QueryClient.Reveal.LOGITS);
                    // the client applies the model's trailing Softmax/LogSoftmax, if any, to both alike
                    int k = c.classes();
                    for (int row = 0; row < rows; row++) plain.graph().output().apply(twin, row * k, k);
                    for (int i = 0; i < twin.length; i++) {
                        assertThat(a.outputs()[i]).as("output " + i).isCloseTo(twin[i], org.assertj.core.data.Offset.offset(0.005));
                    }
                }
            } finally {
                for (Server s : servers) if (s != null) s.stop(Duration.ofSeconds(3));
            }
        });
        // P1 with a file of another dealing of the same model: the servers refuse to serve together
        Ports.fixedInAdvance(3, port -> {
            config[0] = cluster(port);
            try {
                for (int p = 0; p < 3; p++) {
                    servers[p] = Server.start(new Server.Options(p, config[0], ids[p], options, 16, Duration.ZERO,
                            Duration.ofSeconds(2), MaxPool.Form.TOURNAMENT), ServedModel.fromShares(p == 1 ? other : shares, p), line -> { });
                }
                for (int p = 0; p < 3; p++) {
                    Server s = servers[p];
                    Thread t = new Thread(() -> {
                        try {
                            s.await();
                        } catch (Exception ignored) {
                            // fatal() is checked below
                        }
                    });
                    t.start();
                    t.join(60_000);
                    SecureNnException e = s.fatal();
                    assertThat(e).as("P" + p + " refused to serve").isNotNull();
                    assertThat(e.kind()).isEqualTo(SecureNnException.Kind.BAD_INPUT);
                    assertThat(e.getMessage()).contains("different");
                }
            } finally {
                for (Server s : servers) if (s != null) s.stop(Duration.ofSeconds(3));
            }
        });
    }

    private ClusterConfig cluster(int[] port) throws java.io.IOException {
        List<ClusterConfig.Party> entries = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            entries.add(new ClusterConfig.Party(p, new HostPort("127.0.0.1", port[p]), Path.of("p" + p + ".crt"), null, null));
        }
        Path cfg = dir.resolve(ClusterConfig.DEFAULT_NAME);
        Files.writeString(cfg, ClusterConfig.render(entries, List.of(Path.of("client.0.crt"))), StandardCharsets.UTF_8);
        return ClusterConfig.load(cfg);
    }

    private static double[] twin(ServedModel m, double[] x, int rows) {
        try (PlainFixedBackend be = new PlainFixedBackend(1)) {
            GraphModel<long[]> g = GraphModel.build(be, m.graph(), m.tensors());
            long[] fx = new long[x.length];
            for (int i = 0; i < x.length; i++) fx[i] = FixedPoint.encode(x[i]);
            return FixedPoint.decode(be.reveal(g.forward(be.importData(fx, Backend.Encoding.FIXED), rows, false),
                    Backend.Encoding.FIXED));
        }
    }
}
