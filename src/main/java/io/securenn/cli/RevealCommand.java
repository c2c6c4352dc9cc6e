package io.securenn.cli;

import io.securenn.model.Architecture;
import io.securenn.model.ModelFile;
import io.securenn.model.ModelWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code securenn reveal}: the model owner's side after training with --save-model-shares: adds P0's and P1's
 * shares of the trained model and writes the model file. Only whoever holds both files learns the model.
 */
@Command(name = "reveal", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Reconstruct a trained model from P0's and P1's share files (the model owner's side).")
public final class RevealCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--network", required = true, paramLabel = "A|B|C|D", description = "Network of the model.")
    String network;

    @Option(names = "--shares", required = true, paramLabel = "DIR",
            description = "Directory holding trained-P0.snns and trained-P1.snns.")
    Path shares;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Model file to write.")
    Path out;

    @Override
    public void run() {
        Architecture arch = Architecture.parse(network);
        List<long[]> a = io.securenn.job.ModelShareFiles.read(shares, "trained", 0, arch);
        List<long[]> b = io.securenn.job.ModelShareFiles.read(shares, "trained", 1, arch);
        List<long[]> w = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            long[] s = a.get(i).clone();
            for (int k = 0; k < s.length; k++) s[k] += b.get(i)[k];
            w.add(s);
        }
        ModelFile.write(out, new ModelWeights(arch, w));
        spec.commandLine().getOut().printf("model of network %s written to %s%n", arch, out);
        spec.commandLine().getOut().flush();
    }
}
