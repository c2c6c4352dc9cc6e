package io.securenn.bench;

import io.securenn.runtime.SessionParams;
import io.securenn.model.Architecture;
import io.securenn.protocol.matmul.MatMul;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.runtime.Ledger;
import io.securenn.runtime.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The communication model against a secure run (three parties in memory): the bytes all parties send and the
 * rounds, per layer pass and in total, equal what the protocols' formulas predict, exactly.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CostModelTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"A:inference:1", "A:training:8", "A:inference:3", "D:inference:1", "B:training:2"})
    void measuredBytesAndRoundsEqualTheModel(String row) {
        BenchCase c = BenchCase.parse(row);
        for (MaxPool.Form form : MaxPool.Form.values()) {
            if (form == MaxPool.Form.SEQUENTIAL && c.network() != Architecture.A) continue; // argmax covers it
            var res = LocalCluster.run(ctx -> NetworkRun.run(ctx, c, 0, 1, 42, form));
            CostModel.Prediction p = CostModel.predict(c, Formulas.implemented(form, SessionParams.defaults()));
            long bytes = 0, rounds = 0;
            for (int party = 0; party < 3; party++) {
                NetworkRun.Sample s = res.of(party).runs().get(0);
                bytes += s.bytes();
                rounds = Math.max(rounds, s.rounds());
            }
            assertThat(bytes).as(row + " " + form + " total bytes").isEqualTo(p.total().bytes()).isPositive();
            assertThat(rounds).as(row + " " + form + " rounds").isEqualTo(p.total().rounds()).isPositive();
            for (Map.Entry<String, Formulas.Cost> e : p.byScope().entrySet()) {
                long sb = 0, sr = 0;
                for (int party = 0; party < 3; party++) {
                    Ledger.Entry m = res.of(party).scopes().get(e.getKey());
                    assertThat(m).as(row + ": scope " + e.getKey() + " measured at P" + party).isNotNull();
                    sb += m.bytesSent();
                    sr = Math.max(sr, m.rounds());
                }
                assertThat(sb).as(row + " " + form + " bytes of " + e.getKey()).isEqualTo(e.getValue().bytes());
                assertThat(sr).as(row + " " + form + " rounds of " + e.getKey()).isEqualTo(e.getValue().rounds());
            }
        }
    }

    @Test
    void modelOfATrainingIterationComposesTheLayersCalls() {
        // A, batch 4, by hand: forward FC/ReLU/FC/ReLU/FC, ASM (ReLU + Division over 4·10), backward:
        // FC3 (ΔW and δ), ReLU′ product, FC2 (ΔW and δ), ReLU′ product, FC1 (ΔW only)
        Formulas f = Formulas.implemented(MaxPool.Form.TOURNAMENT, SessionParams.defaults());
        int b = 4;
        long expect = MatMul.bytes(b, 784, 128) + f.relu(b * 128).bytes() + MatMul.bytes(b, 128, 128)
                + f.relu(b * 128).bytes() + MatMul.bytes(b, 128, 10)
                + f.relu(b * 10).bytes() + f.division(b * 10).bytes()
                + MatMul.bytes(128, b, 10) + MatMul.bytes(b, 10, 128) + MatMul.hadamardBytes(b * 128)
                + MatMul.bytes(128, b, 128) + MatMul.bytes(b, 128, 128) + MatMul.hadamardBytes(b * 128)
                + MatMul.bytes(784, b, 128);
        long rounds = 3 + 2 * f.relu(1).rounds() + f.relu(1).rounds() + f.division(1).rounds() + 5;
        var p = CostModel.predict(new BenchCase(Architecture.A, BenchCase.Mode.TRAINING, b), f);
        assertThat(p.total()).isEqualTo(new Formulas.Cost(expect, rounds));
    }

    @Test
    void paperFormulasReproduceTheSpecsSingleImageInferenceBytes() {
        // spec checks/check_costs.py: A 2.094 MB, B 8.856, C 18.936, D (padding 2) 2.457; plus 8 B of reveal
        long[] expect = {2_093_944, 8_856_152, 18_936_216, 2_457_416};
        for (Architecture a : Architecture.values()) {
            long bytes = CostModel.predict(new BenchCase(a, BenchCase.Mode.INFERENCE, 1), Formulas.PAPER).total().bytes();
            assertThat(bytes - 8).as("network " + a).isEqualTo(expect[a.ordinal()]);
        }
    }
}
