package io.securenn.cli;

import io.securenn.SecureNnException;
import io.securenn.bench.ProtocolBench;
import io.securenn.bench.ProtocolCases;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.DReluForm;
import io.securenn.runtime.SessionParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code securenn bench protocols}: the whitepaper's Table 8 microbenchmarks with our protocols. */
@Command(name = "protocols", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Run the whitepaper's protocol microbenchmarks (Table 8: Conv2d, MatMul, Maxpool in both forms, DMP, "
                        + "DReLU, ReLU at the paper's dimensions) and print, per case, the median and minimum time "
                        + "over the runs, the bytes each party sent, the rounds, and the paper's LAN time and MB "
                        + "beside them with the ratios ours/paper.",
                "",
                "The three parties run as threads of this process over loopback TLS (or in-memory links), so they "
                        + "share this machine's cores; the paper's parties were three 36-core hosts on a LAN "
                        + "(625 MB/s, 0.22 ms ping), one run per case. Inputs are random; each case gets one "
                        + "warm-up run before the timed runs."})
public final class BenchProtocolsCommand implements Callable<Integer> {

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as a JSON list.")
    Path json;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5",
            description = "Timed runs per case, after one warm-up (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--zp-wire", paramLabel = "FORMAT", defaultValue = "packed",
            description = "Z_67 values on the wire: packed (7 bits, the default) or byte (one byte, as the paper counts).")
    String zpWire;

    @Option(names = "--drelu", paramLabel = "FORM",
            description = "DReLU's protocol: masked (one masked reveal, the default) or paper (ShareConvert then "
                    + "ComputeMSB, the paper's Table 8). Default: -Dsecurenn.drelu, else masked.")
    String drelu;

    @Option(names = "--transport", paramLabel = "KIND", defaultValue = "tls",
            description = "tls (loopback TLS 1.3, the default: the real transport) or memory (in-process links).")
    String transport;

    /** Selects cases (test and debugging aid): protocols, or a protocol's k-th case, e.g. matmul,drelu#1. */
    @Option(names = "--only", paramLabel = "PROTOCOLS", hidden = true, split = ",")
    List<String> only;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (runs < 1) throw SecureNnException.usage("--runs must be at least 1");
        ZpWire wire = switch (zpWire.strip().toLowerCase(Locale.ROOT)) {
            case "packed", "packed7" -> ZpWire.PACKED7;
            case "byte" -> ZpWire.BYTE;
            default -> throw SecureNnException.usage("--zp-wire must be packed or byte, got '" + zpWire + "'");
        };
        ProtocolBench.Links links = switch (transport.strip().toLowerCase(Locale.ROOT)) {
            case "tls" -> ProtocolBench.Links.TLS;
            case "memory" -> ProtocolBench.Links.MEMORY;
            default -> throw SecureNnException.usage("--transport must be tls or memory, got '" + transport + "'");
        };
        List<ProtocolCases.Case> cases = ProtocolCases.select(only);
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();

        DReluForm form;
        try {
            form = drelu != null ? DReluForm.fromProperty(drelu) : PartyOptions.sessionParams().dreluForm();
        } catch (IllegalArgumentException e) {
            throw SecureNnException.usage("--drelu must be masked or paper, got '" + drelu + "'");
        }
        SessionParams session = SessionParams.defaults().withZpWire(wire).withDReluForm(form);
        List<ProtocolBench.Result> results = ProtocolBench.run(cases, runs, links, session, label -> {
            err.println("securenn: bench: " + label + " ...");
            err.flush();
        });
        print(out, results, links, session);
        if (json != null) {
            ProtocolBench.writeJson(json, results, links, session);
            out.println("wrote " + json);
        }
        out.flush();
        for (ProtocolBench.Result r : results) {
            if (!r.matchesFormula()) {
                throw new SecureNnException(SecureNnException.Kind.INTERNAL, r.c().label() + " " + r.c().dims()
                        + " did not cost its documented bytes and rounds (see the table)");
            }
        }
        return 0;
    }

    private void print(PrintWriter w, List<ProtocolBench.Result> results, ProtocolBench.Links links, SessionParams session) {
        w.printf(Locale.ROOT, "bench protocols: %d run%s per case after one warm-up; three parties in this process over %s; "
                        + "Z_67 on the wire: %s; DReLU: %s; %d processor%s available to this JVM%n", runs, runs == 1 ? "" : "s",
                links == ProtocolBench.Links.TLS ? "loopback TLS" : "in-memory links",
                session.zpWire() == ZpWire.BYTE ? "one byte" : "7 bits", session.dreluForm().option(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().availableProcessors() == 1 ? "" : "s");
        w.println("paper: whitepaper Table 8 (spec §3.8), LAN, one run per case, three 36-core hosts; MB = 10^6 bytes");
        String head = String.format(Locale.ROOT, "%-22s %-16s %10s %10s %10s %10s %10s %6s %9s %9s %9s %8s %7s %s",
                "protocol", "dims", "median s", "min s", "bytes P0", "bytes P1", "bytes P2", "rounds", "ours MB",
                "paper ms", "paper MB", "time x", "MB x", "formula");
        w.println(head);
        boolean notes = false;
        for (ProtocolBench.Result r : results) {
            ProtocolCases.Case c = r.c();
            double mb = r.totalBytes() / 1e6;
            w.printf(Locale.ROOT, "%-22s %-16s %10.5f %10.5f %10d %10d %10d %6d %9.4f %9.2f %9.4f %8.2f %7.2f %s%n",
                    c.label() + (c.note() != null ? " *" : ""), c.dims(), r.median(), r.min(), r.bytes()[0],
                    r.bytes()[1], r.bytes()[2], r.rounds(), mb, c.paperMs(), c.paperMb(), r.median() * 1e3 / c.paperMs(),
                    mb / c.paperMb(), r.matchesFormula() ? "ok" : "DIFFERS (" + r.formulaBytes() + " B, "
                            + r.formulaRounds() + " rounds)");
            notes |= c.note() != null;
        }
        if (notes) w.println("* " + ProtocolCases.RELU_NOTE);
        w.println("time x and MB x are ours / paper (median time); 'formula' checks bytes and rounds against the "
                + "protocol's documented cost");
        w.flush();
    }
}
