package io.securenn.model.onnx;

import io.securenn.SecureNnException;
import io.securenn.model.ModelGraph;
import io.securenn.model.ModelGraphCodec;
import io.securenn.model.Node;
import io.securenn.model.ReferenceEvaluator;
import io.securenn.testutil.Mutator;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutated, truncated and random ONNX files (from the oracle test's valid models): each imports to a consistent
 * graph (its parameters match it and it evaluates) or fails with a one-line BAD_INPUT error naming the file;
 * nothing else escapes, nothing hangs, no declared size is allocated before it is checked against the file.
 * Also the graph codec on mutated encodings.
 */
@Timeout(120)
class OnnxImporterFuzzTest {
    static final int CASES = 10_000;

    private static List<byte[]> seeds(Seeded s) {
        List<byte[]> out = new ArrayList<>();
        for (int t = 0; t < OnnxImporterOracleTest.TEMPLATES; t++) {
            for (int k = 0; k < 2; k++) {
                int opset = OnnxImporterOracleTest.OPSETS[s.rnd.nextInt(OnnxImporterOracleTest.OPSETS.length)];
                out.add(OnnxImporterOracleTest.template(t, new SplittableRandom(s.rnd.nextLong()), opset, false).b().bytes());
            }
        }
        return out;
    }

    @Test
    void mutatedModelsImportConsistentlyOrFailWithOneLine() {
        Seeded s = Seeded.fromEnvOr(1302);
        Mutator m = new Mutator(s.rnd);
        List<byte[]> good = seeds(s);
        int imported = 0;
        for (int c = 0; c < CASES; c++) {
            byte[] data;
            if (c % 50 == 49) {
                data = new byte[s.rnd.nextInt(256)];
                s.rnd.nextBytes(data);
            } else {
                data = m.mutate(good.get(c % good.size()));
            }
            String what = s.msg("case " + c);
            try {
                OnnxModel model = OnnxImporter.importModel(data, "mutated.onnx");
                ModelGraph g = model.graph();
                model.parameters().checkAgainst(g);
                assertThat(OnnxImporter.importGraph(data, "mutated.onnx")).as(what).isEqualTo(g);
                assertThat(ModelGraphCodec.decode(ModelGraphCodec.encode(g))).as(what).isEqualTo(g);
                long work = g.inputSize();
                for (Node n : g.nodes()) work += n.size();
                if (work < 1 << 16 && g.parameterCount() < 1 << 16) {
                    double[] y = ReferenceEvaluator.logits(g, model.parameters(), new double[g.inputSize()], 1);
                    assertThat(y).as(what).hasSize(g.classes());
                }
                imported++;
            } catch (SecureNnException e) {
                assertThat(e.kind()).as(what).isEqualTo(SecureNnException.Kind.BAD_INPUT);
                assertThat(e.getMessage()).as(what).startsWith("mutated.onnx: ").doesNotContain("\n").doesNotContain("\r");
            } catch (Throwable e) {
                throw new AssertionError(what + ": " + e, e);
            }
        }
        assertThat(imported).as(s.msg("mutations that still import")).isPositive().isLessThan(CASES);
    }

    @Test
    void mutatedGraphEncodingsDecodeOrFailWithOneLine() {
        Seeded s = Seeded.fromEnvOr(1303);
        Mutator m = new Mutator(s.rnd);
        List<byte[]> good = new ArrayList<>();
        for (byte[] b : seeds(s)) good.add(ModelGraphCodec.encode(OnnxImporter.importGraph(b, "g.onnx")));
        int decoded = 0;
        for (int c = 0; c < CASES; c++) {
            byte[] data = m.mutate(good.get(c % good.size()));
            String what = s.msg("case " + c);
            try {
                ModelGraph g = ModelGraphCodec.decode(data);
                assertThat(ModelGraphCodec.decode(ModelGraphCodec.encode(g))).as(what).isEqualTo(g);
                decoded++;
            } catch (SecureNnException e) {
                assertThat(e.kind()).as(what).isEqualTo(SecureNnException.Kind.BAD_INPUT);
                assertThat(e.getMessage()).as(what).startsWith("model graph: ").doesNotContain("\n");
            } catch (Throwable e) {
                throw new AssertionError(what + ": " + e, e);
            }
        }
        assertThat(decoded).as(s.msg("mutations that still decode")).isLessThan(CASES);
    }
}
