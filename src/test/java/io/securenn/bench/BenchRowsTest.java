package io.securenn.bench;

import io.securenn.SecureNnException;
import io.securenn.model.Architecture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Benchmark rows, their selection, the paper's figures and the network profiles. */
class BenchRowsTest {

    @Test
    void theStandardRowsAreTheIssues() {
        List<String> rows = BenchCase.standard().stream().map(BenchCase::toString).toList();
        assertThat(rows).containsExactly("A:inference:1", "A:inference:128", "B:inference:1", "B:inference:128",
                "C:inference:1", "C:inference:128", "D:inference:1", "D:inference:128",
                "A:training:128", "B:training:128", "C:training:128");
    }

    @Test
    void selectorsPickRows() {
        assertThat(BenchCase.select(List.of("A")).stream().map(BenchCase::toString))
                .containsExactly("A:inference:1", "A:inference:128", "A:training:128");
        assertThat(BenchCase.select(List.of("training", "D:inference:1")).stream().map(BenchCase::toString))
                .containsExactly("A:training:128", "B:training:128", "C:training:128", "D:inference:1");
        assertThat(BenchCase.select(List.of("inference:1")).stream().map(BenchCase::label))
                .containsExactly("A inference b1", "B inference b1", "C inference b1", "D inference b1");
        assertThat(BenchCase.select(List.of("a:training:8"))).containsExactly(new BenchCase(Architecture.A, BenchCase.Mode.TRAINING, 8));
        assertThat(BenchCase.select(null)).hasSize(11);
        for (String bad : new String[] {"E", "D:training", "A:inference:7:1", "A:training:12", "A:x:1"}) {
            assertThatThrownBy(() -> BenchCase.select(List.of(bad))).as(bad).isInstanceOf(SecureNnException.class);
        }
    }

    /**
     * A model's row (bench networks --model): its text form survives the trip to the party processes, its name is
     * the file's base name, it has no paper figures, and one secure run (three parties in memory) sends exactly
     * the bytes in exactly the rounds the cost model predicts from the graph, per node and in total.
     */
    @Test
    void aModelRowRoundTripsAndCostsExactlyItsPrediction() throws Exception {
        java.nio.file.Path f = java.nio.file.Path.of(BenchRowsTest.class.getResource("/onnx/resnet-torchscript.onnx").toURI());
        BenchCase c = BenchCase.ofModel(f, 2);
        assertThat(BenchCase.parse(c.toString())).isEqualTo(c);
        assertThat(c.name()).isEqualTo("resnet-torchscript");
        assertThat(c.label()).isEqualTo("resnet-torchscript inference b2");
        assertThat(PaperFigures.megabytes(c)).isEmpty();
        assertThat(PaperFigures.seconds(c, PaperFigures.Setting.LAN)).isEmpty();
        assertThatThrownBy(() -> BenchCase.parse("model=:inference:1")).isInstanceOf(SecureNnException.class);
        assertThatThrownBy(() -> BenchCase.parse("model=" + f + ":training:2")).isInstanceOf(SecureNnException.class);
        CostModel.Prediction p = CostModel.predict(c, Formulas.implemented(io.securenn.protocol.maxpool.MaxPool.Form.TOURNAMENT,
                io.securenn.runtime.SessionParams.defaults()));
        CostModel.Measurement m = CostModel.measure(c, io.securenn.protocol.maxpool.MaxPool.Form.TOURNAMENT,
                io.securenn.runtime.SessionParams.defaults());
        assertThat(m.total()).isEqualTo(p.total());
        assertThat(p.byScope()).hasSizeGreaterThan(10);
        for (var e : p.byScope().entrySet()) assertThat(m.byScope().get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        var row = new RowResult(c, "loopback", List.of(1.0), new long[] {1, 2, 3}, 4, new double[] {5, 6, 7}, java.util.Map.of(),
                java.util.OptionalDouble.empty(), java.util.OptionalDouble.empty(), null);
        @SuppressWarnings("unchecked")
        var json = (java.util.Map<String, Object>) NetworkResults.jsonRows(List.of(row)).get(0);
        assertThat(json.get("network")).isEqualTo("resnet-torchscript");
        assertThat(json.get("mode")).isEqualTo("inference");
    }

    @Test
    void paperFiguresAreTable7AndTable3PerIteration() {
        var lan = PaperFigures.Setting.LAN;
        var wan = PaperFigures.Setting.WAN;
        assertThat(PaperFigures.seconds(BenchCase.parse("A:inference:1"), lan)).hasValue(0.043);
        assertThat(PaperFigures.seconds(BenchCase.parse("C:inference:128"), wan)).hasValue(30.45);
        assertThat(PaperFigures.megabytes(BenchCase.parse("B:inference:128"))).hasValue(1066);
        assertThat(PaperFigures.megabytes(BenchCase.parse("A:training:128"))).isEmpty();
        assertThat(PaperFigures.seconds(BenchCase.parse("A:inference:64"), lan)).isEmpty();
        // hours for 15 epochs of 468 iterations: A 1.03 h LAN, 7.83 h WAN; B 17.4 / 53.98; C 29.95 / 91.99
        assertThat(PaperFigures.seconds(BenchCase.parse("A:training:128"), lan).getAsDouble()).isCloseTo(0.52821, within(1e-5));
        assertThat(PaperFigures.seconds(BenchCase.parse("A:training:128"), wan).getAsDouble()).isCloseTo(4.01538, within(1e-5));
        assertThat(PaperFigures.seconds(BenchCase.parse("B:training:128"), lan).getAsDouble()).isCloseTo(8.92308, within(1e-5));
        assertThat(PaperFigures.seconds(BenchCase.parse("C:training:128"), wan).getAsDouble()).isCloseTo(47.17436, within(1e-5));
        assertThat(PaperFigures.seconds(BenchCase.parse("A:training:64"), lan)).isEmpty();
    }

    @Test
    void profilesAndDelays() {
        assertThat(NetProfile.parse("wan", null, null)).isEqualTo(NetProfile.WAN);
        assertThat(NetProfile.WAN.oneWayDelay()).isEqualTo(Duration.ofMillis(29));
        assertThat(NetProfile.LAN.describe()).isEqualTo("lan: 625 MB/s per link direction, no added delay");
        assertThat(NetProfile.parse("custom", 12.5, Duration.ofMillis(5)).describe())
                .isEqualTo("custom: 12.5 MB/s per link direction, 5 ms one-way delay (10 ms round trip)");
        assertThat(NetProfile.LOOPBACK.namespaces()).isFalse();
        assertThat(NetProfile.LOOPBACK.paperSetting()).isEqualTo(PaperFigures.Setting.LAN);
        assertThatThrownBy(() -> NetProfile.parse("custom", null, null)).isInstanceOf(SecureNnException.class);
        assertThatThrownBy(() -> NetProfile.parse("wan", 3.0, null)).isInstanceOf(SecureNnException.class);
        assertThatThrownBy(() -> NetProfile.parseDelay("5")).isInstanceOf(SecureNnException.class);
        assertThatThrownBy(() -> NetProfile.parseDelay("-5ms")).isInstanceOf(SecureNnException.class);
    }
}
