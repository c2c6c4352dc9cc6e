package io.securenn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code securenn bench}: the benchmark commands, one subcommand each. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks against the paper's figures.",
                "  bench protocols  the paper's protocol microbenchmarks (Table 8), three parties in this process"},
        subcommands = {
                CommandLine.HelpCommand.class,
                BenchProtocolsCommand.class,
        })
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
