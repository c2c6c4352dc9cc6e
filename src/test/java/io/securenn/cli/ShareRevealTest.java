package io.securenn.cli;

import io.securenn.data.ShareFile;
import io.securenn.model.Architecture;
import io.securenn.model.Init;
import io.securenn.model.ModelFile;
import io.securenn.model.ModelWeights;
import io.securenn.testutil.SyntheticMnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Data owner and model owner outside the servers: share, train on shares, reveal only to the model owner. */
@Timeout(180)
class ShareRevealTest {
    @TempDir
    Path dir;

    @Test
    void trainingOnOwnersSharesEqualsTrainingOnDealtDataAndOnlyTheOwnerLearnsTheModel() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        SyntheticMnist.write(data, 128, 64, 11, true);
        Path model0 = dir.resolve("init.snn");
        ModelFile.write(model0, Init.draw(Architecture.A, 3));   // the same start as a seed-3 run
        Path sh = dir.resolve("shares");

        CliRun d = CliRun.of("share", "--dataset", data.toString(), "--out", sh.toString());
        assertThat(d.exit()).as(d.toString()).isZero();
        CliRun m = CliRun.of("share", "--model", model0.toString(), "--network", "A", "--out", sh.toString());
        assertThat(m.exit()).as(m.toString()).isZero();
        // P0's file holds the shares, P1's a seed, P2's the public sizes only
        long p0 = Files.size(ShareFile.path(sh, "data", 0)), p1 = Files.size(ShareFile.path(sh, "data", 1)),
                p2 = Files.size(ShareFile.path(sh, "data", 2));
        assertThat(p0).isGreaterThan(8L * 192 * 784);
        assertThat(p1).isLessThan(1000);
        assertThat(p2).isLessThan(1000);
        // P0's share alone is not the data: its image values are not the pixels
        var f0 = ShareFile.read(ShareFile.path(sh, "data", 0), "data", 0);
        long small = 0;
        for (long v : f0.shares().get("train.images")) if (v >= 0 && v <= 8192) small++;
        assertThat(small).isLessThan(10);

        Path out = dir.resolve("trained");
        CliRun t = CliRun.of("train", "--network", "A", "--shares", sh.toString(), "--model-shares", sh.toString(),
                "--save-model-shares", out.toString(), "--epochs", "1", "--batch", "32", "--lr-shift", "3",
                "--seed", "3", "--checkpoint-dir", dir.resolve("ck").toString());
        assertThat(t.exit()).as(t.toString()).isZero();
        assertThat(t.out()).contains("shares in").contains("model shares written to");
        Path revealed = dir.resolve("revealed.snn");
        CliRun r = CliRun.of("reveal", "--network", "A", "--shares", out.toString(), "--out", revealed.toString());
        assertThat(r.exit()).as(r.toString()).isZero();

        // the same training with the servers dealing the same data and model in the clear: same model up to noise
        ModelWeights w0 = ModelFile.read(model0, Architecture.A);
        Path plain = dir.resolve("plain.snn");
        CliRun twin = CliRun.of("train", "--network", "A", "--plaintext", "--dataset", data.toString(), "--epochs", "1",
                "--batch", "32", "--lr-shift", "3", "--seed", "3", "--save-model", plain.toString(),
                "--checkpoint-dir", dir.resolve("ck2").toString());
        assertThat(twin.exit()).isZero();
        ModelWeights a = ModelFile.read(revealed, Architecture.A), b = ModelFile.read(plain, Architecture.A);
        long moved = 0, worst = 0;
        for (int i = 0; i < a.tensors().size(); i++)
            for (int k = 0; k < a.tensors().get(i).length; k++) {
                if (a.tensors().get(i)[k] != w0.tensors().get(i)[k]) moved++;
                worst = Math.max(worst, Math.abs(a.tensors().get(i)[k] - b.tensors().get(i)[k]));
            }
        assertThat(moved).isPositive();
        // same data, same start, same batches: the model trained on the owners' shares equals the twin's up to
        // truncation noise
        assertThat(worst).as("worst weight difference in ulps").isLessThanOrEqualTo(16);
    }
}
