package io.securenn.cli;

import io.securenn.AtomicFiles;
import io.securenn.SecureNnException;
import io.securenn.cli.probe.Csv;
import io.securenn.cli.probe.ProbeJob;
import io.securenn.cli.probe.ProbeOperation;
import io.securenn.cli.probe.ProbeOperations;
import io.securenn.cli.probe.ProbeOptions;
import io.securenn.cli.probe.Shape;
import io.securenn.protocol.maxpool.MaxPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code securenn op NAME}: the protocol probe. Runs one secure operation on values from CSV files. */
@Command(name = "op", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = OpCommand.ListOperations.class,
        description = {
                "Run one secure operation on values from CSV files and print its bytes and rounds per party.",
                "",
                "The probe is a tool for PUBLIC TEST INPUTS: P0 reads the inputs in the clear, deals the shares "
                        + "to P0 and P1, and receives the revealed result, which it alone writes to --out.",
                "",
                "CSV: one row per line, values separated by commas; a vector is one value per line. Values are "
                        + "decimals encoded in fixed point (13 fractional bits; results are written as exact "
                        + "decimals), or with --raw signed 64-bit integers taken as ring elements (msb, "
                        + "shareconvert and privatecompare work on ring elements only and need --raw). Bits and "
                        + "indices are written as integers. Fixed-point "
                        + "products are truncated by 13 bits: exact or +1 in the last place, except with "
                        + "probability about 2^(b-37) per element for results below 2^b, when the value is "
                        + "garbage (local share truncation; a warning says so from 2^14 on); results must stay "
                        + "within 2^36.",
                "",
                "By default the three parties run in this process over loopback TLS. With --party N --config FILE "
                        + "each party is its own process: start the same command at each (P1 and P2 need no "
                        + "--in/--out).",
                "",
                "Operations:"},
        footer = {"", "Details of every operation (inputs, domain, result, cost formula): docs/PROBE.md",
                "Example: securenn op matmul --in A.csv --in2 B.csv --out R.csv --json cost.json",
                "Example: securenn op maxpool --window 4 --form sequential --in x.csv --out max.csv"})
public final class OpCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", completionCandidates = ProbeOperations.Names.class,
            description = "The operation: ${COMPLETION-CANDIDATES}.")
    String name;

    @Option(names = "--in", paramLabel = "FILE", description = "First input (CSV), read by P0.")
    Path in;

    @Option(names = "--in2", paramLabel = "FILE", description = "Second input (CSV), read by P0.")
    Path in2;

    @Option(names = "--out", paramLabel = "FILE", description = "Result (CSV), written by P0 (atomically).")
    Path out;

    @Option(names = "--raw", description = "Values are signed 64-bit ring elements, not fixed-point decimals.")
    boolean raw;

    @Option(names = "--window", paramLabel = "K", description = "Group size, for operations over groups of K values.")
    Integer window;

    @Option(names = "--form", paramLabel = "FORM", converter = FormConverter.class,
            description = "MaxPool's comparison order for maxpool, argmax and dmaxpool: sequential (the paper's, "
                    + "k-1 comparisons in turn) or tournament (pairwise in log2(k) levels; the default).")
    MaxPool.Form form;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the counts as JSON (P0).")
    Path json;

    @Mixin
    PartyOptions parties;

    @Spec
    CommandSpec spec;

    /** Lists the table's operations under the description of {@code securenn op --help}. */
    public static final class ListOperations implements picocli.CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            List<String> d = new java.util.ArrayList<>(List.of(spec.usageMessage().description()));
            for (ProbeOperation op : ProbeOperations.all()) {
                d.add(String.format(Locale.ROOT, "  %-14s %s (%d input%s)", op.name(), op.summary(), op.arity(),
                        op.arity() == 1 ? "" : "s"));
            }
            spec.usageMessage().description(d.toArray(String[]::new));
            return spec;
        }
    }

    /** Parses --form case-insensitively. */
    static final class FormConverter implements picocli.CommandLine.ITypeConverter<MaxPool.Form> {
        @Override
        public MaxPool.Form convert(String v) {
            for (MaxPool.Form f : MaxPool.Form.values()) if (f.name().equalsIgnoreCase(v.strip())) return f;
            throw new picocli.CommandLine.TypeConversionException("'" + v + "' is not a form (sequential or tournament)");
        }
    }

    @Override
    public Integer call() {
        parties.validate();
        ProbeOperation op = ProbeOperations.byName(name);
        ProbeOptions o = new ProbeOptions(raw, window, form);
        if (window != null && window < 1) throw SecureNnException.usage("--window must be at least 1");
        op.checkOptions(o);
        PrintWriter stdout = spec.commandLine().getOut(), stderr = spec.commandLine().getErr();

        long[][] plain = null;
        Shape[] shapes = null;
        if (parties.isP0()) {
            Path[] files = inputFiles(op);
            if (out == null) throw SecureNnException.usage("--out FILE is needed at P0");
            plain = new long[op.arity()][];
            shapes = new Shape[op.arity()];
            for (int i = 0; i < op.arity(); i++) {
                Csv.Matrix m = Csv.read(files[i], op.inputEncoding(i, o));
                plain[i] = m.values();
                shapes[i] = m.shape();
            }
            op.resultShape(shapes, o);
            for (String w : op.checkDomain(plain, shapes, o)) stderr.println("securenn: warning: " + w);
            stderr.flush();
        } else if (in != null || in2 != null || out != null || json != null) {
            stderr.println("securenn: note: P" + parties.partyId() + " ignores --in, --in2, --out and --json (P0 reads and writes them)");
            stderr.flush();
        }

        final long[][] p0Inputs = plain;
        final Shape[] p0Shapes = shapes;
        List<ProbeJob.Outcome> outcomes = parties.run("op " + op.name(), o.agreed(),
                ctx -> ProbeJob.run(ctx, op, o, ctx.id() == 0 ? p0Inputs : null, ctx.id() == 0 ? p0Shapes : null));

        if (!parties.isP0()) {
            ProbeJob.Outcome mine = outcomes.get(parties.partyId());
            ProbeJob.Cost c = mine.costs()[parties.partyId()];
            stdout.printf(Locale.ROOT, "op %s: P%d sent %d bytes in the protocol (%d round(s) as seen here) and %d bytes "
                    + "for input/output%n", op.name(), parties.partyId(), c.protocolBytes(), c.rounds(), c.ioBytes());
            stdout.flush();
            return 0;
        }
        ProbeJob.Outcome r = outcomes.get(0);
        Csv.write(out, r.result(), r.shape(), op.resultEncoding(o));
        report(stdout, op, o, shapes, r);
        if (json != null) AtomicFiles.write(json, json(op, r).getBytes(StandardCharsets.UTF_8));
        return 0;
    }

    private Path[] inputFiles(ProbeOperation op) {
        if (in == null) throw SecureNnException.usage("--in FILE is needed at P0");
        if (op.arity() == 2 && in2 == null) throw SecureNnException.usage(op.name() + " needs a second input: --in2 FILE");
        if (op.arity() == 1 && in2 != null) throw SecureNnException.usage(op.name() + " takes one input; drop --in2");
        return op.arity() == 1 ? new Path[] {in} : new Path[] {in, in2};
    }

    private void report(PrintWriter w, ProbeOperation op, ProbeOptions o, Shape[] shapes, ProbeJob.Outcome r) {
        StringBuilder ins = new StringBuilder();
        for (Shape s : shapes) ins.append(ins.isEmpty() ? "" : ", ").append(s);
        w.printf(Locale.ROOT, "op %s: inputs %s -> result %s, %s, %s%n", op.name(), ins, r.shape(),
                o.raw() ? "raw ring elements" : "fixed point (13 fractional bits)",
                parties.perProcess() ? "one process per party over TLS" : "three parties in this process over loopback TLS");
        w.printf(Locale.ROOT, "  %-5s %16s %8s %22s%n", "party", "protocol bytes", "rounds", "input/output bytes");
        long total = 0, io = 0;
        for (int p = 0; p < 3; p++) {
            ProbeJob.Cost c = r.costs()[p];
            total += c.protocolBytes();
            io += c.ioBytes();
            w.printf(Locale.ROOT, "  %-5s %16d %8d %22d%n", "P" + p, c.protocolBytes(), c.rounds(), c.ioBytes());
        }
        w.printf(Locale.ROOT, "  %-5s %16d %8d %22d%n", "all", total, r.rounds(), io);
        long fb = op.formulaBytes(shapes, o, r.session());
        int fr = op.formulaRounds(shapes, o, r.session());
        w.printf(Locale.ROOT, "  documented cost: %d bytes (%s), %d round%s (%s)%n", fb, fb == total ? "matches" : "DIFFERS",
                fr, fr == 1 ? "" : "s", fr == r.rounds() ? "matches" : "DIFFERS");
        w.printf(Locale.ROOT, "  protocol time: %.6f s (connection set-up, input and output excluded)%n", r.seconds());
        w.printf(Locale.ROOT, "wrote %s%n", out);
        w.flush();
    }

    static String json(ProbeOperation op, ProbeJob.Outcome r) {
        StringBuilder b = new StringBuilder("{\"op\": \"").append(op.name()).append("\", \"elements\": ")
                .append(r.shape().size()).append(", \"bytes\": {");
        for (int p = 0; p < 3; p++) b.append(p == 0 ? "" : ", ").append("\"P").append(p).append("\": ").append(r.costs()[p].protocolBytes());
        b.append("}, \"io_bytes\": {");
        for (int p = 0; p < 3; p++) b.append(p == 0 ? "" : ", ").append("\"P").append(p).append("\": ").append(r.costs()[p].ioBytes());
        b.append("}, \"rounds\": ").append(r.rounds())
                .append(", \"seconds\": ").append(String.format(Locale.ROOT, "%.6f", r.seconds())).append("}\n");
        return b.toString();
    }
}
