package io.securenn.model.onnx;

import io.securenn.data.Npy;
import io.securenn.model.ModelGraph;
import io.securenn.model.Node;
import io.securenn.model.Op;
import io.securenn.model.ReferenceEvaluator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Models exported by PyTorch with both of its exporters (scripts/make-onnx-fixtures.py, src/test/resources/onnx/):
 * each imports, and the reference evaluation of the imported graph and parameters agrees with onnxruntime's outputs
 * stored beside it, with onnxruntime run here, and with PyTorch's own outputs.
 */
class OnnxFixturesTest {
    static Path resource(String name) {
        try {
            var url = OnnxFixturesTest.class.getResource("/onnx/" + name);
            if (url == null) throw new AssertionError("missing fixture " + name + " (scripts/make-onnx-fixtures.py)");
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "mlp, torchscript, 3, 0", "mlp, dynamo, 3, 0",
            "cnn, torchscript, 3, 2", "cnn, dynamo, 3, 2", "cnn, dynamo-noopt, 3, 2",
            "resnet, torchscript, 7, 6", "resnet, dynamo, 7, 6", "resnet, dynamo-noopt, 7, 6"})
    void fixtureAgreesWithOnnxruntimeAndTorch(String net, String exporter, int linear, int convs) throws Exception {
        Path file = resource(net + "-" + exporter + ".onnx");
        OnnxModel m = OnnxImporter.importModel(file);
        ModelGraph g = m.graph();
        String what = file.getFileName() + " " + g.nodes();
        assertThat(g.name()).isEqualTo(net + "-" + exporter);
        assertThat(g.classes()).as(what).isEqualTo(10);
        assertThat(g.nodes().stream().map(Node::op).filter(o -> o instanceof Op.Conv || o instanceof Op.Gemm).count()).as(what).isEqualTo(linear);
        assertThat(g.nodes().stream().map(Node::op).filter(o -> o instanceof Op.Conv).count()).as(what).isEqualTo(convs);
        assertThat(g.nodes()).as(what + ": every BatchNormalization folded").noneMatch(n -> n.op() instanceof Op.BatchNorm);
        assertThat(OnnxImporter.importGraph(file)).isEqualTo(g);

        Npy.Array x = Npy.read(resource(net + "-input.npy"));
        int batch = x.shape()[0];
        assertThat(Arrays.copyOfRange(x.shape(), 1, x.shape().length)).isEqualTo(g.inputShape());
        double[] ours = ReferenceEvaluator.output(g, m.parameters(), x.raw(), batch);

        Npy.Array stored = Npy.read(resource(net + "-" + exporter + "-output.npy"));
        assertThat(stored.shape()).containsExactly(batch, 10);
        float[] storedF = new float[stored.count()];
        for (int k = 0; k < storedF.length; k++) storedF[k] = (float) stored.raw()[k];
        OnnxImporterOracleTest.close(ours, storedF, what + " vs the stored onnxruntime outputs");

        float[] xf = new float[x.count()];
        for (int k = 0; k < xf.length; k++) xf[k] = (float) x.raw()[k];
        long[] shape = Arrays.stream(x.shape()).mapToLong(d -> d).toArray();
        Ort.Out live = Ort.run(Files.readAllBytes(file), g.inputName(), xf, shape);
        assertThat(live.shape()).containsExactly(batch, 10);
        OnnxImporterOracleTest.close(ours, live.values(), what + " vs onnxruntime");

        double[] torch = Npy.read(resource(net + "-torch-output.npy")).raw();
        for (int k = 0; k < ours.length; k++) {
            assertThat(Math.abs(ours[k] - torch[k])).as(what + " vs PyTorch, value " + k).isLessThanOrEqualTo(1e-5 * (1 + Math.abs(torch[k])));
        }
    }
}
