package io.securenn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code securenn bench}: the benchmark commands, one subcommand each. The hidden {@code worker} subcommand is
 * one party process of {@code bench networks}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks against the paper's figures (see docs/BENCH.md and docs/benchmarks/).",
                "  bench protocols  the paper's protocol microbenchmarks (Table 8), three parties in this process",
                "  bench networks   secure inference and training of networks A-D, three party processes",
                "  bench model      the bytes and rounds the protocols' formulas predict per network"},
        subcommands = {
                CommandLine.HelpCommand.class,
                BenchProtocolsCommand.class,
                BenchNetworksCommand.class,
                BenchModelCommand.class,
                BenchWorkerCommand.class,
        })
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
