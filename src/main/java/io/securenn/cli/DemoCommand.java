package io.securenn.cli;

import io.securenn.data.Datasets;
import io.securenn.job.HeapPlan;
import io.securenn.job.Execution;
import io.securenn.job.TrainingJob;
import io.securenn.model.Architecture;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.train.EpochMetrics;
import io.securenn.train.TrainConfig;
import io.securenn.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * {@code securenn demo}: the README's main job. Trains Network A securely on MNIST with the three parties in this
 * process over loopback TLS (P0 deals the public dataset and the initial weights), then measures the test
 * accuracy securely on all 10 000 test images, and prints time, bytes per party and rounds.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Secure training of Network A on MNIST (three parties over loopback TLS in this process), "
                + "then secure evaluation on the 10 000 test images.",
                "Defaults: one epoch of all 60 000 training images, batch 128, square loss on the logits, learning "
                        + "rate 2^-3 (the plaintext twin reaches 92.2 % with these). MNIST is read from data/mnist "
                        + "(the launcher fetches it on first use)."})
public final class DemoCommand implements Runnable, JvmPlan.Planned {
    @Spec
    CommandSpec spec;

    @Option(names = "--epochs", defaultValue = "1", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N training images (default: all).")
    Integer limit;

    @Option(names = "--lr-shift", defaultValue = "3", paramLabel = "K", description = "Learning rate 2^-K (default: ${DEFAULT-VALUE}).")
    int lrShift;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the initial weights and batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dataset", defaultValue = "mnist", paramLabel = "mnist|fashion|DIR", hidden = true)
    String dataset;

    @Option(names = "--tls-provider", paramLabel = "boringssl|jdk", hidden = true,
            description = "TLS implementation of the loopback links (as in train); none (plain TCP) is refused.")
    String tlsProvider;

    @Option(names = "--insecure-plain-tcp", hidden = true, description = "Refused: the demo always runs over TLS.")
    boolean insecurePlainTcp;

    @Override
    public long heapMb() {
        return HeapPlan.heapMb(Architecture.A, 128, true, 3, true);
    }

    @Override
    public void run() {
        PartyOptions parties = new PartyOptions();
        parties.mixee = spec;
        parties.tlsProvider = tlsProvider;
        parties.insecurePlainTcp = insecurePlainTcp;
        parties.idleTimeout = java.time.Duration.ofSeconds(30);
        parties.connectTimeout = java.time.Duration.ofSeconds(30);
        parties.validate();
        PrintWriter out = spec.commandLine().getOut();
        Datasets.Split data = Datasets.load(dataset);
        var train = limit != null ? data.train().limit(limit) : data.train();
        TrainConfig cfg = TrainConfig.defaults().withEpochs(epochs).withLrShift(lrShift).withSeed(seed).withTestEachEpoch(false);
        int batches = train.count() / cfg.batch();
        out.printf(Locale.ROOT, "securenn demo: secure training of network A (784-128-128-10) on %d MNIST images, "
                        + "%d epoch(s) of %d batches of 128, square loss, lr 2^-%d;%nthree parties over loopback TLS "
                        + "in this process, then secure evaluation on %d test images.%n",
                train.count(), epochs, batches, lrShift, data.test().count());
        out.flush();
        long t0 = System.nanoTime();
        TrainingJob.Spec job = TrainingJob.Spec.of(new TrainingJob.Builtin(Architecture.A),
                new TrainingJob.PublicData(dataset, train, data.test()), cfg);
        List<TrainingJob.Result> results = TrainingJob.runEach(Execution.secure(parties, MaxPool.Form.TOURNAMENT), job,
                new TrainingJob.Listener() {
                    TrainingProgress bar;

                    @Override
                    public void started(Trainer.Position<?> from, boolean resumed, String runId, long n, LongSupplier bytes) {
                        bar = TrainingProgress.open("secure training", n, bytes);
                    }

                    @Override
                    public void batchDone(Trainer.Position<?> next) {
                        if (bar != null) bar.batchDone(next.nextBatch() == 0 ? next.epoch() - 1 : next.epoch());
                    }

                    @Override
                    public void epoch(EpochMetrics m) {
                        out.println(TrainCommand.formatEpoch(m, epochs));
                        out.flush();
                    }

                    @Override
                    public void ended() {
                        if (bar != null) bar.close();
                    }
                });
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<EpochMetrics> ms = results.get(0).epochs();
        EpochMetrics last = ms.get(ms.size() - 1);
        out.printf(Locale.ROOT, "%nsecure test accuracy: %.2f %% on %d images%n", 100 * last.testAccuracy(),
                data.test().count());
        out.printf(Locale.ROOT, "wall time: %.1f s (training and evaluation, after connection set-up)%n", seconds);
        long total = 0;
        for (int p = 0; p < 3; p++) {
            TrainingJob.Result r = results.get(p);
            total += r.bytesSent();
            out.printf(Locale.ROOT, "P%d sent %,.1f MB in %d rounds%n", p, r.bytesSent() / 1e6, r.rounds());
        }
        out.printf(Locale.ROOT, "all parties: %,.1f MB (%,.2f MB per training iteration incl. the share of evaluation)%n",
                total / 1e6, total / 1e6 / Math.max(1, batches * epochs));
        out.flush();
    }
}
