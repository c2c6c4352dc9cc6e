package io.securenn.model;

import io.securenn.nn.Backend;
import io.securenn.nn.FloatBackend;
import io.securenn.nn.Loss;
import io.securenn.nn.Parameter;
import io.securenn.nn.PlainFixedBackend;
import io.securenn.nn.Sgd;
import io.securenn.nn.secure.SecureBackend;
import io.securenn.ring.FixedPoint;
import io.securenn.runtime.LocalCluster;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A model graph with every operator open models bring (Conv with asymmetric pads and without bias, an unfolded
 * BatchNormalization, Relu, padded ceil-mode MaxPool, AveragePool, Pad, a residual Add, Concat,
 * GlobalAveragePool, Flatten, Gemm) on the float64 reference, the fixed-point twin and the secure backend:
 * forward logits and one SGD step agree within fixed-point and truncation noise.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public class GraphModelTest {

    /** 2×9×9 input → logits of 5. */
    public static ModelGraph residualGraph() {
        List<Node> n = new ArrayList<>();
        Op.Window k3 = new Op.Window(3, 3, 1, 1, new Op.Pads(1, 0, 1, 2));       // asymmetric pads: 9×9 → 9×9
        n.add(new Node("conv0", new Op.Conv(4, k3, new Op.ParamRef("conv0.W", 2 * 9 * 4), null), new int[] {-1}, new int[] {4, 9, 9}));
        n.add(new Node("bn0", new Op.BatchNorm(new Op.ParamRef("bn0.scale", 4), new Op.ParamRef("bn0.shift", 4)), new int[] {0}, new int[] {4, 9, 9}));
        n.add(new Node("relu0", new Op.Relu(), new int[] {1}, new int[] {4, 9, 9}));
        Op.Window p3 = new Op.Window(3, 3, 2, 2, new Op.Pads(1, 1, 0, 0));
        n.add(new Node("pool0", new Op.MaxPool(p3, true), new int[] {2}, new int[] {4, p3.outH(9, true), p3.outW(9, true)}));   // 5×5
        Op.Window same = new Op.Window(3, 3, 1, 1, Op.Pads.symmetric(1));
        n.add(new Node("conv1", new Op.Conv(4, same, new Op.ParamRef("conv1.W", 4 * 9 * 4), new Op.ParamRef("conv1.b", 4)), new int[] {3}, new int[] {4, 5, 5}));
        n.add(new Node("relu1", new Op.Relu(), new int[] {4}, new int[] {4, 5, 5}));
        n.add(new Node("add", new Op.Add(), new int[] {5, 3}, new int[] {4, 5, 5}));                                     // residual
        Op.Window a2 = new Op.Window(2, 2, 1, 1, new Op.Pads(0, 0, 1, 1));
        n.add(new Node("avg", new Op.AveragePool(a2, false, false), new int[] {6}, new int[] {4, 5, 5}));
        n.add(new Node("pad", new Op.Pad(new Op.Pads(1, 0, 0, 1)), new int[] {3}, new int[] {4, 6, 6}));
        n.add(new Node("avg2", new Op.AveragePool(new Op.Window(2, 2, 1, 1, Op.Pads.NONE), false, true), new int[] {8}, new int[] {4, 5, 5}));
        n.add(new Node("cat", new Op.Concat(), new int[] {7, 9}, new int[] {8, 5, 5}));
        n.add(new Node("gap", new Op.GlobalAveragePool(), new int[] {10}, new int[] {8, 1, 1}));
        n.add(new Node("flat", new Op.Flatten("Flatten"), new int[] {11}, new int[] {8}));
        n.add(new Node("fc", new Op.Gemm(8, 5, new Op.ParamRef("fc.W", 40), new Op.ParamRef("fc.b", 5), "Gemm"), new int[] {12}, new int[] {5}));
        return new ModelGraph("residual", "x", new int[] {2, 9, 9}, "y", n, ModelGraph.Output.LOGITS);
    }

    public static List<long[]> weights(ModelGraph g, Seeded s) {
        List<long[]> ts = new ArrayList<>();
        for (Op.ParamRef r : g.parameterRefs()) {
            boolean scale = r.name().endsWith(".scale");
            long[] t = new long[r.length()];
            for (int i = 0; i < t.length; i++) t[i] = FixedPoint.encode(scale ? 0.5 + s.rnd.nextDouble() : (s.rnd.nextDouble() - 0.5) * 0.8);
            ts.add(t);
        }
        return ts;
    }

    record Step(double[] logits, List<double[]> after) {}

    static <V> Step step(Backend<V> be, ModelGraph g, List<long[]> w, long[] x, long[] y, int batch) {
        GraphModel<V> m = GraphModel.build(be, g, w);
        V z = m.forward(be.importData(x, Backend.Encoding.FIXED), batch, true);
        long[] logits = be.reveal(z, Backend.Encoding.FIXED);
        V delta = Loss.SQUARE.delta(be, z, be.importData(y, Backend.Encoding.FIXED), batch, g.classes());
        m.backward(delta, batch, Sgd.of(2, batch));
        List<double[]> after = new ArrayList<>();
        for (Parameter<V> p : m.parameters()) {
            long[] v = be.reveal(p.value(), Backend.Encoding.FIXED);
            after.add(v == null ? null : FixedPoint.decode(v));
        }
        return new Step(logits == null ? null : FixedPoint.decode(logits), after);
    }

    @Test
    void everyOperatorOnEveryBackend() {
        Seeded s = Seeded.fromEnvOr(8100);
        ModelGraph g = residualGraph();
        List<long[]> w = weights(g, s);
        int batch = 2;
        long[] x = s.fixed(batch * g.inputSize(), 1.5);
        long[] y = new long[batch * g.classes()];
        for (int b = 0; b < batch; b++) y[b * g.classes() + s.rnd.nextInt(g.classes())] = FixedPoint.ONE;

        Step ref = step(new FloatBackend(), g, w, x, y, batch);
        Step twin;
        try (PlainFixedBackend pb = new PlainFixedBackend(s.seed)) {
            twin = step(pb, g, w, x, y, batch);
        }
        var res = LocalCluster.run(ctx -> step(new SecureBackend(ctx), g, w, x, y, batch));
        Step sec = res.of(0);
        assertThat(res.of(1).logits()).as("only P0 learns outputs").isNull();

        double scale = 0;
        for (double v : ref.logits()) scale = Math.max(scale, Math.abs(v));
        assertThat(scale).as(s.msg("logits are not trivially zero")).isGreaterThan(0.05);
        for (int i = 0; i < ref.logits().length; i++) {
            assertThat(twin.logits()[i]).as(s.msg("twin vs float logit " + i)).isCloseTo(ref.logits()[i], within(0.01));
            assertThat(sec.logits()[i]).as(s.msg("secure vs twin logit " + i)).isCloseTo(twin.logits()[i], within(0.01));
        }
        int moved = 0;
        for (int t = 0; t < ref.after().size(); t++) {
            double[] before = FixedPoint.decode(w.get(t));
            for (int i = 0; i < before.length; i++) {
                assertThat(twin.after().get(t)[i]).as(s.msg("twin vs float, " + g.parameterRefs().get(t).name() + "[" + i + "]"))
                        .isCloseTo(ref.after().get(t)[i], within(0.01));
                assertThat(sec.after().get(t)[i]).as(s.msg("secure vs twin, " + g.parameterRefs().get(t).name() + "[" + i + "]"))
                        .isCloseTo(twin.after().get(t)[i], within(0.01));
                if (Math.abs(ref.after().get(t)[i] - before[i]) > 1e-3) moved++;
            }
        }
        assertThat(moved).as(s.msg("the step moves weights of every kind")).isGreaterThan(50);
    }

    @Test
    void builtInNetworksAreGraphsWithTheirParameterOrder() {
        for (Architecture a : Architecture.values()) {
            ModelGraph g = a.graph();
            assertThat(g.classes()).isEqualTo(Architecture.CLASSES);
            assertThat(g.inputSize()).isEqualTo(a.inputSize());
            List<Architecture.ParamShape> shapes = a.parameterShapes();
            assertThat(g.parameterRefs()).hasSize(shapes.size());
            for (int i = 0; i < shapes.size(); i++) {
                assertThat(g.parameterRefs().get(i).name()).isEqualTo(shapes.get(i).name());
                assertThat(g.parameterRefs().get(i).length()).isEqualTo(shapes.get(i).size());
            }
        }
    }
}
