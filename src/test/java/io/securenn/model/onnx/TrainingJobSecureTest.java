package io.securenn.model.onnx;

import io.securenn.data.Dataset;
import io.securenn.job.Execution;
import io.securenn.job.PartyRunner;
import io.securenn.job.TrainingJob;
import io.securenn.model.ModelParameters;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.runtime.LocalCluster;
import io.securenn.runtime.PartyContext;
import io.securenn.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The training job on an imported model with every trainable operator (Conv with and without bias and their folded
 * BatchNormalization, a residual Add, an unfolded BatchNormalization, MaxPool, AveragePool, Gemm, MatMul + Add),
 * secure (three parties in this process; P0 alone holds the ONNX model and sends the graph) against the twin: the
 * same losses and accuracies within truncation noise, the same trained tensors within a few ulps per step, and P1
 * and P2 learn neither.
 */
@Timeout(240)
class TrainingJobSecureTest {

    static final PartyRunner LOCAL = io.securenn.runtime.InMemoryParties.ALL;

    @Test
    void secureTrainingOfAnImportedModelTracksTheTwin() {
        byte[] bytes = OnnxExportTest.cnn(61, 13).bytes();
        OnnxModel m = OnnxImporter.importModel(bytes, "cnn.onnx");
        Dataset train = OnnxExportTest.separable("train", 32, m.graph().inputShape(), 4, 8);
        Dataset test = OnnxExportTest.separable("test", 16, m.graph().inputShape(), 4, 9);
        TrainConfig cfg = TrainConfig.defaults().withEpochs(2).withBatch(8).withLrShift(4).withMomentumShift(2).withSeed(5);
        TrainingJob.Spec spec = TrainingJob.Spec.of(new TrainingJob.Imported(m, bytes, "cnn.onnx"),
                new TrainingJob.PublicData("synthetic", train, test), cfg).withRevealModel(true);
        TrainingJob.Result twin = TrainingJob.run(Execution.plaintext(false, 1), spec, null);
        List<TrainingJob.Result> sec = TrainingJob.runEach(Execution.secure(LOCAL, MaxPool.Form.TOURNAMENT), spec, null);
        assertThat(sec).hasSize(3);
        for (int p = 1; p < 3; p++) {
            assertThat(sec.get(p).epochs()).as("P" + p + " learns no metric").isNull();
            assertThat(sec.get(p).parameters()).as("P" + p + " learns no weight").isNull();
            assertThat(sec.get(p).bytesSent()).isPositive();
        }
        TrainingJob.Result s = sec.get(0);
        for (int e = 0; e < 2; e++) {
            assertThat(s.epochs().get(e).loss()).as("epoch " + (e + 1) + " loss").isCloseTo(twin.epochs().get(e).loss(), within(0.005));
            assertThat(s.epochs().get(e).trainAccuracy()).isCloseTo(twin.epochs().get(e).trainAccuracy(), within(2.0 / 32));
            assertThat(s.epochs().get(e).counters().get("bytes_P0").longValue()).isPositive();
        }
        ModelParameters a = twin.parameters(), b = s.parameters();
        int moved = 0;
        for (var e : a.tensors().entrySet()) {
            double[] t = e.getValue(), u = b.get(e.getKey()), before = m.parameters().get(e.getKey());
            for (int k = 0; k < t.length; k++) {
                assertThat(u[k]).as(e.getKey() + "[" + k + "], secure vs twin").isCloseTo(t[k], within(0.01));
                if (Math.abs(t[k] - before[k]) > 1e-3) moved++;
            }
        }
        assertThat(moved).as("the training moves the weights").isGreaterThan(40);
    }
}
