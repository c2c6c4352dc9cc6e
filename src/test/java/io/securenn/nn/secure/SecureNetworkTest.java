package io.securenn.nn.secure;

import io.securenn.model.Architecture;
import io.securenn.nn.Backend;
import io.securenn.model.Init;
import io.securenn.nn.Loss;
import io.securenn.model.ModelWeights;
import io.securenn.model.Network;
import io.securenn.nn.PlainFixedBackend;
import io.securenn.nn.Sgd;
import io.securenn.ring.FixedPoint;
import io.securenn.runtime.DReluForm;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.SessionParams;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Networks A–D run securely (three parties, in memory) against the fixed-point twin from the same weights and
 * images: the logits of a forward pass and the weights after one SGD step agree within truncation noise.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecureNetworkTest {

    record Run(long[] logits, ModelWeights after) {}

    /** Pixels in [0, 1), a third of them 0 (as in MNIST's background). */
    static long[] images(Seeded s, int batch) {
        long[] images = new long[batch * 784];
        for (int i = 0; i < images.length; i++) images[i] = s.rnd.nextInt(3) == 0 ? 0 : FixedPoint.encode(s.rnd.nextDouble());
        return images;
    }

    /** One-hot labels in FIXED. */
    static long[] labels(Seeded s, int batch) {
        long[] labels = new long[batch * 10];
        for (int b = 0; b < batch; b++) labels[b * 10 + s.rnd.nextInt(10)] = FixedPoint.ONE;
        return labels;
    }

    static <V> Run step(Backend<V> be, ModelWeights w0, long[] images, long[] labels, int batch, Loss loss) {
        Network<V> net = Network.build(be, w0);
        V x = be.importData(images, Backend.Encoding.FIXED);
        V y = be.importData(labels, Backend.Encoding.FIXED);
        V z = net.forward(x, batch, true);
        long[] logits = be.reveal(z, Backend.Encoding.FIXED);
        V delta = loss.delta(be, z, y, batch, Architecture.CLASSES);
        net.backward(delta, batch, Sgd.of(3, batch));
        return new Run(logits, net.revealWeights());
    }

    /** In the default session (the masked DReLU) and, for A with ASM and D, in the paper's DReLU form. */
    @ParameterizedTest
    @CsvSource({"A,square,MASKED", "A,asm,MASKED", "A,hinge,MASKED", "B,square,MASKED", "C,square,MASKED",
            "D,square,MASKED", "D,hinge,MASKED", "A,asm,PAPER", "D,square,PAPER"})
    void secureForwardAndSgdStepTrackTheTwin(String arch, String lossName, DReluForm form) {
        Architecture a = Architecture.valueOf(arch);
        Loss loss = Loss.parse(lossName);
        Seeded s = Seeded.fromEnvOr(arch.hashCode() * 31L + lossName.hashCode());
        int batch = 2;
        ModelWeights w0 = Init.draw(a, s.seed);
        long[] images = images(s, batch), labels = labels(s, batch);

        Run twin;
        try (PlainFixedBackend pb = new PlainFixedBackend(s.seed)) {
            twin = step(pb, w0, images, labels, batch, loss);
        }
        var res = LocalCluster.run(SessionParams.defaults().withDReluForm(form),
                ctx -> step(new SecureBackend(ctx), w0, images, labels, batch, loss));
        Run sec = res.of(0);
        assertThat(res.of(1).logits()).isNull();   // only P0, the model owner's proxy, learns outputs

        for (int i = 0; i < twin.logits().length; i++) {
            assertThat(FixedPoint.decode(sec.logits()[i])).as(s.msg(arch + " logit " + i))
                    .isCloseTo(FixedPoint.decode(twin.logits()[i]), org.assertj.core.data.Offset.offset(0.02));
        }
        long worst = 0, changed = 0;
        for (int t = 0; t < w0.tensors().size(); t++) {
            long[] before = w0.tensors().get(t), tw = twin.after().tensors().get(t), se = sec.after().tensors().get(t);
            for (int i = 0; i < tw.length; i++) {
                worst = Math.max(worst, Math.abs(tw[i] - se[i]));
                if (tw[i] != before[i]) changed++;
            }
        }
        assertThat(changed).as(s.msg("the SGD step changes weights")).isPositive();
        // each weight moves by lr/batch · Σ products: the secure and twin steps differ by truncation noise only
        assertThat(worst).as(s.msg(arch + " worst weight difference in ulps")).isLessThanOrEqualTo(64);
    }

    /** Three SGD steps with momentum (v ← μv + g, W ← W − αv, all local truncations) on the same batches. */
    static <V> ModelWeights momentumSteps(Backend<V> be, ModelWeights w0, long[] images, long[] labels, int batch,
                                          int masterBits) {
        Network<V> net = Network.build(be, w0);
        net.enableMomentum();
        if (masterBits > 0) net.enableMasterWeights(masterBits);
        for (int step = 0; step < 3; step++) {
            V x = be.importData(images, Backend.Encoding.FIXED);
            V y = be.importData(labels, Backend.Encoding.FIXED);
            V z = net.forward(x, batch, true);
            net.backward(Loss.SQUARE.delta(be, z, y, batch, Architecture.CLASSES), batch, Sgd.of(3, batch, 2, masterBits));
        }
        return net.revealWeights();
    }

    @ParameterizedTest
    @CsvSource({"A,0", "D,0", "A,1", "D,1"})
    void secureMomentumStepsTrackTheTwin(String arch, int masterBits) {
        Architecture a = Architecture.valueOf(arch);
        Seeded s = Seeded.fromEnvOr(arch.hashCode() * 17L + 3);
        int batch = 2;
        ModelWeights w0 = Init.draw(a, s.seed);
        long[] images = images(s, batch), labels = labels(s, batch);
        ModelWeights twin, plain;
        try (PlainFixedBackend pb = new PlainFixedBackend(s.seed)) {
            twin = momentumSteps(pb, w0, images, labels, batch, masterBits);
        }
        try (PlainFixedBackend pb = new PlainFixedBackend(s.seed)) {
            Network<long[]> net = Network.build(pb, w0);
            for (int step = 0; step < 3; step++) {
                long[] z = net.forward(images.clone(), batch, true);
                net.backward(Loss.SQUARE.delta(pb, z, labels.clone(), batch, Architecture.CLASSES), batch, Sgd.of(3, batch));
            }
            plain = net.revealWeights();
        }
        ModelWeights sec = LocalCluster.run(ctx -> momentumSteps(new SecureBackend(ctx), w0, images, labels, batch, masterBits)).of(0);
        long worst = 0, differsFromPlain = 0;
        for (int t = 0; t < w0.tensors().size(); t++) {
            long[] tw = twin.tensors().get(t), se = sec.tensors().get(t), pl = plain.tensors().get(t);
            for (int i = 0; i < tw.length; i++) {
                worst = Math.max(worst, Math.abs(tw[i] - se[i]));
                if (Math.abs(tw[i] - pl[i]) > 256) differsFromPlain++;
            }
        }
        // with μ = 3/4 the third step moves by (1 + μ + μ²)·α·g: clearly not plain SGD's α·g
        assertThat(differsFromPlain).as(s.msg(arch + ": momentum changes the steps")).isPositive();
        assertThat(worst).as(s.msg(arch + " worst weight difference in ulps after 3 momentum steps")).isLessThanOrEqualTo(96);
    }

    /** Momentum is local: the same three steps send exactly the same bytes and frames with and without it. */
    @org.junit.jupiter.api.Test
    void momentumAddsNoCommunication() {
        Seeded s = Seeded.fromEnvOr(77);
        int batch = 2;
        ModelWeights w0 = Init.draw(Architecture.D, s.seed);
        long[] images = images(s, batch), labels = labels(s, batch);
        long[][] cost = new long[2][];
        for (int momentum = 0; momentum < 2; momentum++) {
            final int m = momentum;
            io.securenn.transport.Transport[] ts = io.securenn.transport.InMemoryTransports.create();
            LocalCluster.run(ts, "test", "", SessionParams.defaults(), ctx -> {
                SecureBackend be = new SecureBackend(ctx);
                Network<io.securenn.nn.secure.Secret> net = Network.build(be, w0);
                if (m == 1) net.enableMomentum();
                for (int step = 0; step < 3; step++) {
                    var x = be.importData(images, Backend.Encoding.FIXED);
                    var y = be.importData(labels, Backend.Encoding.FIXED);
                    var z = net.forward(x, batch, true);
                    net.backward(Loss.SQUARE.delta(be, z, y, batch, Architecture.CLASSES), batch, Sgd.of(5, batch, m == 1 ? 3 : 0));
                }
                return null;
            });
            cost[m] = new long[6];
            for (int p = 0; p < 3; p++) {
                cost[m][p] = ts[p].stats().bytesSent();
                cost[m][3 + p] = ts[p].stats().framesSent();
            }
        }
        assertThat(cost[0][0]).as("the steps communicate at all").isPositive();
        assertThat(cost[1]).as(s.msg("bytes and frames per party, momentum vs plain")).containsExactly(cost[0]);
    }
}
