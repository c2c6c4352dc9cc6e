package io.securenn.cli;

import io.securenn.bench.BenchCase;
import io.securenn.bench.CostModel;
import io.securenn.bench.Formulas;
import io.securenn.bench.PaperFigures;
import io.securenn.protocol.drelu.DReLU;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.runtime.SessionParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * {@code securenn bench model}: the communication each benchmark row should take by the protocols' formulas (ours,
 * and the paper's per-protocol costs), per layer pass on request, and with {@code --measure} what a secure run in
 * this process (three parties over in-memory links) actually sends, with the difference.
 */
@Command(name = "model", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Bytes (all parties) and rounds per network and mode, as the protocols' formulas predict them, "
                + "beside the paper's formulas and Table 7's MB; --measure runs each row once (in this process, in "
                + "memory) and prints the measured figures and the difference."})
public final class BenchModelCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--only", split = ",", paramLabel = "SEL",
            description = "Only these rows: A, training, B:inference, C:training:128, A:training:8, … (default: the 11 bench rows).")
    List<String> only;

    @Option(names = "--maxpool", defaultValue = "tournament", paramLabel = "tournament|sequential",
            description = "Secure MaxPool form (default: ${DEFAULT-VALUE}).")
    String maxpool;

    @Option(names = "--scopes", description = "Also print every layer pass (forward, backward, loss, argmax, reveal).")
    boolean scopes;

    @Option(names = "--measure", description = "Run each row once securely in this process and compare (B and C at batch "
            + "128 take minutes).")
    boolean measure;

    @Override
    public void run() {
        MaxPool.Form form = BackendOptions.parseMaxPool(maxpool);
        SessionParams session = PartyOptions.sessionParams();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "Communication model (MB = 10^6 bytes, all parties; Z_67 wire %s, DReLU %s, MaxPool %s)%n",
                session.zpWire(), session.dreluForm().option(), form.name().toLowerCase(Locale.ROOT));
        out.printf(Locale.ROOT, "%-18s %14s %8s %14s %8s %10s%s%n", "row", "predicted B", "rounds", "paper-formula B",
                "rounds", "paper MB", measure ? String.format(Locale.ROOT, " %14s %8s %s", "measured B", "rounds", "difference") : "");
        for (BenchCase c : BenchCase.select(only)) {
            CostModel.Prediction ours = CostModel.predict(c, Formulas.implemented(form, session));
            CostModel.Prediction paper = CostModel.predict(c, Formulas.PAPER);
            OptionalDouble paperMb = PaperFigures.megabytes(c);
            String measured = "";
            Map<String, Formulas.Cost> measuredScopes = Map.of();
            if (measure) {
                CostModel.Measurement m = CostModel.measure(c, form, session);
                measuredScopes = m.byScope();
                long db = m.total().bytes() - ours.total().bytes(), dr = m.total().rounds() - ours.total().rounds();
                measured = String.format(Locale.ROOT, " %14d %8d %s", m.total().bytes(), m.total().rounds(),
                        db == 0 && dr == 0 ? "none" : db + " B, " + dr + " rounds");
            }
            out.printf(Locale.ROOT, "%-18s %14d %8d %14d %8d %10s%s%n", c.label(), ours.total().bytes(), ours.total().rounds(),
                    paper.total().bytes(), paper.total().rounds(),
                    paperMb.isPresent() ? String.format(Locale.ROOT, "%.2f", paperMb.getAsDouble()) : "-", measured);
            if (scopes) {
                for (Map.Entry<String, Formulas.Cost> e : ours.byScope().entrySet()) {
                    Formulas.Cost pp = paper.byScope().getOrDefault(e.getKey(), Formulas.Cost.ZERO);
                    Formulas.Cost m = measuredScopes.get(e.getKey());
                    out.printf(Locale.ROOT, "    %-52s %12d B %6d r | paper %12d B %6d r%s%n", e.getKey(), e.getValue().bytes(),
                            e.getValue().rounds(), pp.bytes(), pp.rounds(),
                            m == null ? "" : String.format(Locale.ROOT, " | measured %12d B %6d r", m.bytes(), m.rounds()));
                }
            }
            out.flush();
        }
        out.printf(Locale.ROOT, "Differences between our formulas and the paper's: MatMul and the element-wise products take 1 round "
                + "(P2's message travels beside the E/F exchange; the paper counts 2); DReLU (%s form) sends %d B per element "
                + "with this Z_67 format in %d rounds (paper 664 B, 8 rounds); MaxPool compares as a "
                + "tournament (same bytes, log2 n levels instead of n - 1 in sequence); DMP sends one byte per masked index.%n",
                session.dreluForm().option(), DReLU.bytes(session, 1), DReLU.rounds(session));
        out.flush();
    }
}
