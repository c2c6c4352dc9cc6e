package io.securenn.cli;

import io.securenn.model.Architecture;
import io.securenn.model.ModelFile;
import io.securenn.model.ModelWeights;
import io.securenn.testutil.Ports;
import io.securenn.testutil.SyntheticMnist;
import io.securenn.train.Checkpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Checkpoints and resume of secure training: in process, against the uninterrupted run, and with real processes. */
@Timeout(240)
class CheckpointResumeTest {
    @TempDir
    Path dir;

    private Processes procs;

    @AfterEach
    void tearDown() {
        if (procs != null) procs.close();
    }

    private Path data() throws Exception {
        Path data = dir.resolve("data");
        if (!Files.isDirectory(data)) {
            Files.createDirectory(data);
            SyntheticMnist.write(data, 128, 64, 7, true);
        }
        return data;
    }

    private List<String> trainArgs(Path ckpt, Path model) throws Exception {
        return new ArrayList<>(List.of("train", "--network", "A", "--dataset", data().toString(), "--epochs", "2",
                "--batch", "32", "--lr-shift", "3", "--seed", "5", "--checkpoint-every", "1",
                "--checkpoint-dir", ckpt.toString(), "--save-model", model.toString()));
    }

    /** The largest difference, in ulps, between two saved models of network A. */
    private static long worstUlps(Path a, Path b) {
        ModelWeights w1 = ModelFile.read(a, Architecture.A), w2 = ModelFile.read(b, Architecture.A);
        long worst = 0;
        for (int t = 0; t < w1.tensors().size(); t++)
            for (int i = 0; i < w1.tensors().get(t).length; i++)
                worst = Math.max(worst, Math.abs(w1.tensors().get(t)[i] - w2.tensors().get(t)[i]));
        return worst;
    }

    @Test
    void resumedRunMatchesTheUninterruptedOneAndMismatchesAreRefused() throws Exception {
        Path full = dir.resolve("full"), fullModel = dir.resolve("full.snn");
        CliRun a = CliRun.of(trainArgs(full, fullModel).toArray(String[]::new));
        assertThat(a.exit()).as(a.toString()).isZero();
        // every party wrote its own checkpoints (3 kept of the 8 steps), with its own party id
        for (int p = 0; p < 3; p++) {
            List<Path> files = Checkpoint.list(full.resolve("P" + p));
            assertThat(files).hasSize(3);
            assertThat(Checkpoint.read(files.get(2)).party()).isEqualTo(p);
            assertThat(Checkpoint.read(files.get(2)).step()).isEqualTo(8);
        }

        // a crash after step 6 of 8: keep only what the parties held then, and resume
        Path cut = dir.resolve("cut");
        for (int p = 0; p < 3; p++) {
            Path src = full.resolve("P" + p), dst = Files.createDirectories(cut.resolve("P" + p));
            for (Path f : Checkpoint.list(src)) {
                if (Checkpoint.read(f).step() <= 6) Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        Path resumedModel = dir.resolve("resumed.snn");
        List<String> args = trainArgs(cut, resumedModel);
        args.add("--resume");
        CliRun b = CliRun.of(args.toArray(String[]::new));
        assertThat(b.exit()).as(b.toString()).isZero();
        assertThat(b.out()).contains("from epoch 2 batch 2");
        long worst = worstUlps(fullModel, resumedModel);
        // the two runs differ only by truncation noise in the last two steps (fresh keys, fresh masks)
        assertThat(worst).as("worst weight difference in ulps").isLessThanOrEqualTo(16);

        // P2's directory from another run: refused, naming the problem, at every party
        Path other = dir.resolve("other");
        CliRun c = CliRun.of(trainArgs(other, dir.resolve("o.snn")).toArray(String[]::new));
        assertThat(c.exit()).isZero();
        for (Path f : Checkpoint.list(cut.resolve("P2"))) Files.delete(f);
        for (Path f : Checkpoint.list(other.resolve("P2"))) {
            Files.copy(f, cut.resolve("P2").resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        CliRun d = CliRun.of(args.toArray(String[]::new));
        assertThat(d.exit()).isEqualTo(3);
        assertThat(d.err()).contains("securenn: error:").contains("different runs");
    }

    @Test
    void momentumVelocitiesAndMasterWeightsAreCheckpointedAndResumedWithThem() throws Exception {
        Path full = dir.resolve("mfull"), fullModel = dir.resolve("mfull.snn");
        List<String> base = trainArgs(full, fullModel);
        base.addAll(List.of("--momentum-shift", "2", "--master-bits", "3", "--lr-schedule", "1:4,2:5"));
        CliRun a = CliRun.of(base.toArray(String[]::new));
        assertThat(a.exit()).as(a.toString()).isZero();
        assertThat(a.out()).contains("momentum 1-2^-2").contains("master weights +3 bits").contains("schedule 1:4,2:5");
        Path cut = dir.resolve("mcut");
        for (int p = 0; p < 3; p++) {
            Path src = full.resolve("P" + p), dst = Files.createDirectories(cut.resolve("P" + p));
            for (Path f : Checkpoint.list(src)) {
                Checkpoint c = Checkpoint.read(f);
                // parameters, their velocities, their master copies and the two metric sums
                assertThat(c.tensors()).hasSize(3 * 6 + 2);
                if (c.step() <= 6) Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        Path resumedModel = dir.resolve("mresumed.snn");
        List<String> args = trainArgs(cut, resumedModel);
        args.addAll(List.of("--momentum-shift", "2", "--master-bits", "3", "--lr-schedule", "1:4,2:5", "--resume"));
        CliRun b = CliRun.of(args.toArray(String[]::new));
        assertThat(b.exit()).as(b.toString()).isZero();
        long worst = worstUlps(fullModel, resumedModel);
        assertThat(worst).as("worst weight difference in ulps").isLessThanOrEqualTo(32);

        // the same checkpoints without --momentum-shift and --master-bits: refused, naming the cause
        List<String> plain = trainArgs(cut, dir.resolve("mplain.snn"));
        plain.addAll(List.of("--lr-schedule", "1:4,2:5", "--resume"));
        CliRun c = CliRun.of(plain.toArray(String[]::new));
        assertThat(c.exit()).isNotZero();
        assertThat(c.err()).contains("securenn: error:").contains("momentum");
    }

    @Test
    void killedPartyThenResumeWithRealProcesses() throws Exception {
        // the config names the ports before the parties listen: again on new ports if one was taken meanwhile
        Ports.fixedInAdvance(3, port -> {
            if (procs != null) procs.close();
            procs = new Processes(dir);
            try {
                killAndResume(port);
            } catch (Exception | AssertionError e) {
                procs.addPortTakenLines(e);
                throw e;
            }
        });
    }

    private void killAndResume(int[] port) throws Exception {
        CliRun k = CliRun.of("keys", "--out", dir.resolve("keys").toString(), "--force", "--hosts",
                "127.0.0.1:" + port[0] + ",127.0.0.1:" + port[1] + ",127.0.0.1:" + port[2]);
        assertThat(k.exit()).as(k.toString()).isZero();
        Path config = dir.resolve("keys/cluster.properties"), ckpt = dir.resolve("ck");
        deleteTree(ckpt);
        Files.deleteIfExists(dir.resolve("model.snn"));
        Duration exit = Duration.ofSeconds(120);

        Processes.Proc[] ps = new Processes.Proc[3];
        for (int p = 2; p >= 0; p--) ps[p] = procs.securenn(partyArgs(p, config, ckpt, false, p == 2 ? 3 : 0));
        assertThat(ps[2].exit(exit)).as(ps[2].stderr()).isEqualTo(99);   // P2 "crashes" after its third batch
        long killed = System.nanoTime();
        assertThat(ps[0].exit(exit)).as(ps[0].stderr()).isEqualTo(4);
        assertThat(ps[1].exit(exit)).as(ps[1].stderr()).isEqualTo(4);
        double toExit = (System.nanoTime() - killed) / 1e9;
        assertThat(ps[0].stderr()).contains("securenn: error: lost peer P2");
        assertThat(ps[1].stderr()).contains("securenn: error: lost peer P2");
        System.out.printf("kill to survivors' exit: %.2f s%n", toExit);

        for (int p = 2; p >= 0; p--) ps[p] = procs.securenn(partyArgs(p, config, ckpt, true, 0));
        for (int p = 0; p < 3; p++) assertThat(ps[p].exit(exit)).as(ps[p].stderr()).isZero();
        // the newest step all three hold: P2 stopped after batch 3, P0 and P1 may not have finished it
        assertThat(ps[0].stdout()).containsPattern("from epoch 1 batch [23]").contains("test accuracy");
        assertThat(Files.exists(dir.resolve("model.snn"))).isTrue();
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }

    private String[] partyArgs(int p, Path config, Path ckpt, boolean resume, int stopAfter) throws Exception {
        List<String> a = trainArgs(ckpt, dir.resolve("model.snn"));
        a.addAll(List.of("--party", String.valueOf(p), "--config", config.toString(), "--idle-timeout", "5s",
                "--connect-timeout", "60s"));
        if (resume) a.add("--resume");
        if (stopAfter > 0) a.addAll(List.of("--stop-after", String.valueOf(stopAfter)));
        return a.toArray(String[]::new);
    }
}
