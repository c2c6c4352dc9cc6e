package io.securenn.cli;

import io.securenn.SecureNnException;
import io.securenn.bench.BenchCase;
import io.securenn.bench.NetworkBench;
import io.securenn.bench.NetworkResults;
import io.securenn.bench.NetworkRun;
import io.securenn.protocol.maxpool.MaxPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code securenn bench worker} (hidden): one party process of a {@code bench networks} row, started by the
 * coordinator with {@code --party N --config FILE}. Runs the row ({@link NetworkRun}) and writes what this party
 * measured, with its peak resident memory, to a JSON file ({@link NetworkResults#writePartyResult}, atomically: the
 * coordinator reads it after the process ends).
 */
@Command(name = "worker", hidden = true, mixinStandardHelpOptions = true,
        description = "One party of a 'bench networks' row (started by 'bench networks'; not for direct use).")
public final class BenchWorkerCommand implements Runnable, JvmPlan.Planned {
    @Option(names = "--case", required = true, paramLabel = "NETWORK:MODE:BATCH", description = "The row, e.g. A:inference:128.")
    String benchCase;

    @Option(names = "--warmup", defaultValue = "1", description = "Warm-up runs (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--warmup-seconds", defaultValue = "0", description = "Keep warming up for at least this long "
            + "(P0's clock decides for all) (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--runs", defaultValue = "5", description = "Measured runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the weights and synthetic images.")
    long seed;

    @Option(names = "--maxpool", defaultValue = "tournament", paramLabel = "tournament|sequential")
    String maxpool;

    @Option(names = "--result", required = true, paramLabel = "FILE", description = "Where to write this party's JSON result.")
    Path result;

    @Mixin
    PartyOptions parties = new PartyOptions();

    @Override
    public long heapMb() {
        return NetworkBench.partyHeapMb(BenchCase.parse(benchCase));
    }

    @Override
    public void run() {
        parties.allowPlainTcp().validate();   // a benchmark: --tls-provider none is allowed, with consent
        if (!parties.perProcess()) throw SecureNnException.usage("bench worker runs one party: give --party N --config FILE");
        if (warmup < 0 || runs < 1 || !(warmupSeconds >= 0)) {
            throw SecureNnException.usage("--warmup and --warmup-seconds must be 0 or more and --runs at least 1");
        }
        BenchCase c = BenchCase.parse(benchCase);
        MaxPool.Form form = BackendOptions.parseMaxPool(maxpool);
        NetworkRun.PartyResult r = parties.run("bench-worker", NetworkRun.jobParams(c, warmup, warmupSeconds, runs, seed, form),
                ctx -> NetworkRun.run(ctx, c, warmup, warmupSeconds, runs, seed, form)).get(parties.partyId());
        NetworkResults.writePartyResult(result, r);
    }
}
