package io.securenn.nn.secure;

import ch.qos.logback.classic.Level;
import io.securenn.model.Architecture;
import io.securenn.nn.Backend;
import io.securenn.model.Init;
import io.securenn.nn.Loss;
import io.securenn.model.ModelWeights;
import io.securenn.model.Network;
import io.securenn.nn.Parameter;
import io.securenn.nn.Sgd;
import io.securenn.runtime.Cluster;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.SessionParams;
import io.securenn.testutil.LogCapture;
import io.securenn.testutil.Seeded;
import io.securenn.testutil.SyntheticMnist;
import io.securenn.transport.TransportOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secure SGD steps of network A over real TLS links with every logger at DEBUG: the log must show what ran
 * (session, protocols, transport) and no secret value: no input image or label, no weight (initial or trained),
 * no share of an input, activation or weight held by P0 or P1.
 */
@Timeout(120)
class NoSecretsInLogsTest {
    static final int BATCH = 4, STEPS = 3;

    /** What one party saw of the computation: its shares (none at P2) and, at P0, the revealed weights. */
    record Seen(List<long[]> shares, ModelWeights revealed) {}

    static Seen train(SecureBackend be, ModelWeights w0, long[][] images, long[][] labels) {
        Network<Secret> net = Network.build(be, w0);
        List<long[]> shares = new ArrayList<>();
        for (Parameter<Secret> p : net.parameters()) shares.add(be.shareOf(p.value()));
        for (int step = 0; step < STEPS; step++) {
            Secret x = be.importData(images[step], Backend.Encoding.FIXED);
            Secret y = be.importData(labels[step], Backend.Encoding.FIXED);
            Secret z = net.forward(x, BATCH, true);
            net.backward(Loss.SQUARE.delta(be, z, y, BATCH, Architecture.CLASSES), BATCH, Sgd.of(3, BATCH));
            shares.add(be.shareOf(x));
            shares.add(be.shareOf(y));
            shares.add(be.shareOf(z));
            // copies: the layers may update their parameters in place
            for (Parameter<Secret> p : net.parameters()) {
                long[] sh = be.shareOf(p.value());
                shares.add(sh == null ? null : sh.clone());
            }
        }
        return new Seen(shares, net.revealWeights());
    }

    @Test
    void aSecureTrainingLogsNoSecret() {
        Seeded s = Seeded.fromEnvOr(2701);
        ModelWeights w0 = Init.draw(Architecture.A, s.seed);
        var data = SyntheticMnist.make("train", BATCH * STEPS, s.seed);
        long[][] images = new long[STEPS][], labels = new long[STEPS][];
        for (int step = 0; step < STEPS; step++) {
            int[] idx = new int[BATCH];
            for (int i = 0; i < BATCH; i++) idx[i] = step * BATCH + i;
            images[step] = data.imagesFixed(idx);
            labels[step] = data.labelsOneHotFixed(idx);
        }
        String log;
        LocalCluster.Results<Seen> res;
        try (LogCapture capture = new LogCapture(Level.DEBUG)) {
            res = LocalCluster.run(Cluster.local(TransportOptions.defaults()), "secure-sgd", "A batch 4", SessionParams.defaults(),
                    ctx -> train(new SecureBackend(ctx), w0, images, labels));
            log = capture.text();
        }
        // the log is a real trace of the run
        for (int p = 0; p < 3; p++) {
            assertThat(log).contains("P" + p + ": session 'secure-sgd' established")
                    .contains("P" + p + ": protocol MatMul: ").contains("P" + p + ": protocol ReLU: ")
                    .contains("P" + p + ": closing; payload bytes sent");
        }
        assertThat(log.lines().count()).as("lines logged").isGreaterThan(100);

        List<long[]> secrets = new ArrayList<>();
        secrets.addAll(w0.tensors());
        secrets.addAll(res.of(0).revealed().tensors());
        secrets.addAll(Arrays.asList(images));
        secrets.addAll(Arrays.asList(labels));
        secrets.addAll(res.of(0).shares());
        secrets.addAll(res.of(1).shares());
        assertThat(res.of(2).shares()).allMatch(x -> x == null); // P2 holds no share
        long distinctive = secrets.stream().flatMapToLong(Arrays::stream)
                .filter(v -> Math.abs(v) >= LogCapture.DISTINCTIVE).count();
        assertThat(distinctive).as("share values searched for").isGreaterThan(500_000);
        assertThat(LogCapture.findSecrets(log, secrets)).as("secret values in the log").isEmpty();
    }

    @Test
    void theSearchFindsASecretThatIsLogged() {
        Seeded s = Seeded.fromEnvOr(2702);
        long[] share = s.longs(16), weights = Init.draw(Architecture.A, 1).tensors().get(0);
        String log;
        try (LogCapture capture = new LogCapture(Level.DEBUG)) {
            var logger = LoggerFactory.getLogger("leaky");
            logger.debug("share element {}", share[3]);
            logger.debug("a debugging dump: {}", Arrays.toString(Arrays.copyOfRange(weights, 100, 110)));
            logger.debug("key material {}", Long.toHexString(share[7]) + Long.toHexString(share[8]));
            log = capture.text();
        }
        assertThat(LogCapture.findSecrets(log, List.of(share, weights))).contains("decimal " + share[3],
                "hex " + Long.toHexString(share[7]), "hex " + Long.toHexString(share[8]),
                "run " + weights[100] + " " + weights[101] + " " + weights[102] + " " + weights[103]);
        assertThat(LogCapture.findSecrets("nothing to see: 1 2 3, bytes 4096", List.of(share, weights))).isEmpty();
    }
}
