package io.securenn.job;

import io.securenn.runtime.SessionParams;
import io.securenn.bench.Formulas;
import io.securenn.bench.GraphCost;
import io.securenn.data.Npy;
import io.securenn.model.onnx.OnnxImporter;
import io.securenn.model.onnx.OnnxModel;
import io.securenn.protocol.maxpool.MaxPool;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The models PyTorch exported (both exporters; scripts/make-onnx-fixtures.py) run as securenn runs them: the
 * float64 backend (on the weights and inputs as encoded in fixed point, so within 0.01 of onnxruntime's stored
 * outputs; the importer's own float64 evaluation is checked to 1e-5 in OnnxFixturesTest), the fixed-point twin and
 * the secure run within 0.05 per logit, the same argmax, and the secure run's bytes and rounds exactly those
 * {@code inspect} predicts.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OnnxFixturesSecureTest {
    private static final Path DIR = Paths.get("src/test/resources/onnx");

    @ParameterizedTest
    @ValueSource(strings = {"mlp-torchscript", "mlp-dynamo", "cnn-torchscript", "cnn-dynamo", "cnn-dynamo-noopt",
            "resnet-torchscript", "resnet-dynamo", "resnet-dynamo-noopt"})
    void secureInferenceAgreesWithOnnxruntime(String name) {
        OnnxModel m = OnnxImporter.importModel(DIR.resolve(name + ".onnx"));
        String family = name.substring(0, name.indexOf('-'));
        Npy.Array x = Npy.read(DIR.resolve(family + "-input.npy"));
        double[] ort = Npy.read(DIR.resolve(name + "-output.npy")).raw();
        int rows = x.shape()[0], k = m.graph().classes();
        InferenceJob.Owner o = new InferenceJob.Owner(m.graph(), m.parameters(), x.raw(), rows);

        InferenceJob.Result ref = InferenceJob.run(Execution.plaintext(true, 1), o, rows, InferenceJob.Reveal.LOGITS);
        InferenceJob.Result twin = InferenceJob.run(Execution.plaintext(false, 1), o, rows, InferenceJob.Reveal.LOGITS);
        InferenceJob.Result sec = InferenceJob.run(Execution.secure(InferenceJobTest.LOCAL, MaxPool.Form.TOURNAMENT), o, 2,
                InferenceJob.Reveal.LOGITS);
        assertThat(ref.outputs()).hasSize(rows * k);
        for (int i = 0; i < rows * k; i++) {
            assertThat(ref.outputs()[i]).as(name + ": float64 vs onnxruntime, output " + i).isCloseTo(ort[i], within(0.01));
            assertThat(twin.outputs()[i]).as(name + ": twin vs onnxruntime, output " + i).isCloseTo(ort[i], within(0.05));
            assertThat(sec.outputs()[i]).as(name + ": secure vs twin, output " + i).isCloseTo(twin.outputs()[i], within(0.05));
        }
        for (int r = 0; r < rows; r++) {
            assertThat(sec.labels()[r]).as(name + ": argmax of row " + r).isEqualTo(InferenceJob.argmax(ort, r * k, k));
        }
        long bytes = 0, rounds = 0;
        // several batches: the weights are masked once (the first batch opens F, later ones do not send it)
        for (int b = 0; b < rows; b += 2) {
            io.securenn.bench.CostingBackend.Weights w = rows <= 2 ? io.securenn.bench.CostingBackend.Weights.PER_PRODUCT
                    : b == 0 ? io.securenn.bench.CostingBackend.Weights.FIRST_BATCH : io.securenn.bench.CostingBackend.Weights.LATER_BATCH;
            GraphCost.Prediction p = GraphCost.inference(m.graph(), Math.min(2, rows - b), false,
                    Formulas.implemented(MaxPool.Form.TOURNAMENT, SessionParams.defaults()), w);
            bytes += p.total().bytes();
            rounds += p.total().rounds();
        }
        long measured = 0;
        for (int q = 0; q < 3; q++) measured += sec.counters().get("bytes_P" + q).longValue();
        assertThat(measured).as(name + ": measured bytes = inspect's").isEqualTo(bytes);
        assertThat(sec.counters().get("rounds").longValue()).as(name + ": measured rounds = inspect's").isEqualTo(rounds);
    }
}
