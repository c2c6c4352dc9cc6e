package io.securenn.train;

import io.securenn.SecureNnException;
import io.securenn.data.Datasets;
import io.securenn.model.Architecture;
import io.securenn.model.Init;
import io.securenn.nn.Loss;
import io.securenn.model.Network;
import io.securenn.nn.PlainFixedBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Real MNIST, one epoch of Network A in the twin (about a minute; needs scripts/fetch-mnist.sh). */
@Tag("long")
class MnistTrainingLongTest {

    @Test
    void networkAOneEpochSquareLoss() {
        Datasets.Split data;
        try {
            data = Datasets.load("mnist");
        } catch (SecureNnException e) {
            Assumptions.abort("MNIST not fetched: " + e.getMessage());
            return;
        }
        try (PlainFixedBackend be = new PlainFixedBackend(11, 2)) {
            Network<long[]> net = Network.build(be, Init.draw(Architecture.A, 1));
            List<EpochMetrics> m = new Trainer<>(net.model(), new OwnedDataFeed<>(be, data.train(), data.test()),
                    TrainConfig.defaults().withEpochs(1), null).run();
            assertThat(m.get(0).testAccuracy()).isGreaterThan(0.88);
            assertThat(m.get(0).counters().get("truncation_failures").longValue()).isZero();
            assertThat(m.get(0).counters().get("expected_truncation_failures").doubleValue()).isLessThan(1e-3);
        }
    }
}
