package io.securenn.cli;

import io.securenn.SecureNnException;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.serve.ServedModel;
import io.securenn.serve.Server;
import io.securenn.transport.tls.ClusterConfig;
import io.securenn.transport.tls.Pem;
import io.securenn.transport.tls.TlsIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code securenn serve}: one party of the private inference service (docs/SERVING.md). */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve secure inference to clients (securenn query) as party N of a three-server cluster.",
                "Only P0 (the model owner's proxy) reads --model; P1 and P2 receive the graph and their shares. With "
                        + "--model-shares DIR instead, each server loads its own share file (securenn share --model).",
                "Prints 'securenn: PN: serving MODEL on HOST:PORT' when ready; SIGTERM finishes the queries in flight "
                        + "and exits 0."})
public final class ServeCommand implements Callable<Integer>, JvmPlan.Planned {
    /** Besides twice the planned heap of a batch of --max-batch rows: clients' connections, queued queries. */
    static final long SERVING_HEADROOM_MB = 128;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE.onnx|A|B|C|D",
            description = "The model: an ONNX file, or one of the networks A-D with weights from --seed (benchmarks).")
    String model;

    @Option(names = "--model-shares", paramLabel = "DIR", description = "Instead of --model: the model owner's shares "
            + "(securenn share --model FILE --out DIR); this server reads only DIR/model-PN.snns.")
    Path modelShares;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of A-D's weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-batch", defaultValue = "128", description = "Most rows in one secure batch (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-wait", defaultValue = "0ms", converter = ServeCommand.ZeroOk.class, paramLabel = "DURATION",
            description = "After a batch, how long P0 waits for more queries while fewer than --max-batch rows are "
                    + "queued (a lone query on idle servers never waits; default: ${DEFAULT-VALUE}).")
    Duration maxWait;

    @Option(names = "--warmup", defaultValue = "2s", converter = ServeCommand.ZeroOk.class, paramLabel = "DURATION",
            description = "P0: at the start of each session, run batches of one-row queries of zeros (1 to 32 of them) "
                    + "for this long and then while the JIT is busy, at most ten times as long (at least one batch; a "
                    + "query that arrives ends it), before the servers announce themselves, so that the first queries "
                    + "find compiled code and the weights' masks opened; 0 for none (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--maxpool", defaultValue = "tournament", paramLabel = "tournament|sequential",
            description = "MaxPool form (default: ${DEFAULT-VALUE}).")
    String maxpool;

    @Mixin
    PartyOptions parties = new PartyOptions();

    /** A duration that may be zero (--max-wait 0). */
    static final class ZeroOk implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) throws Exception {
            if (value.strip().matches("0+(ms|s)?")) return Duration.ZERO;
            return new DurationConverter().convert(value);
        }
    }

    /**
     * A serving process's heap: twice what one party needs for a batch of --max-batch rows of the model (held
     * shares; the margin keeps the young generation large enough that a small batch rarely meets a collection),
     * the headroom, and the session's stationary weight masks where the budget admits them (F at P0 and P1, V at
     * P2: 8 bytes per parameter, {@link io.securenn.job.HeapPlan#weightMasksMb}); 0 (the launcher's defaults) with
     * --model-shares or a model that cannot be read here. The launcher pairs it with the serial collector: no
     * collector threads beside the two cores' four JVMs.
     */
    @Override
    public long heapMb() {
        if (model == null || maxBatch < 1) return 0;
        long mb, masks;
        long budget = PartyOptions.sessionParams().weightMaskBudget();
        if (model.toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) {
            mb = io.securenn.job.HeapPlan.heapMbForModel(Path.of(model), maxBatch, 1);
            masks = mb == 0 ? 0 : io.securenn.job.HeapPlan.heapMbForModel(Path.of(model), maxBatch, 1, budget) - mb;
        } else {
            try {
                io.securenn.model.Architecture a = io.securenn.model.Architecture.parse(model);
                mb = io.securenn.job.HeapPlan.heapMb(a, maxBatch, false, 1, false);
                masks = io.securenn.job.HeapPlan.weightMasksMb(a.graph().parameterCount(), budget);
            } catch (RuntimeException e) {
                return 0;
            }
        }
        return mb == 0 ? 0 : 2 * mb + SERVING_HEADROOM_MB + masks;
    }

    @Override
    public Integer call() throws Exception {
        parties.validate();
        if (!parties.perProcess()) throw SecureNnException.usage("serve needs --party N and --config FILE");
        if (maxBatch < 1) throw SecureNnException.usage("--max-batch must be positive");
        if (maxWait.isNegative()) throw SecureNnException.usage("--max-wait must not be negative");
        int party = parties.partyId();
        ClusterConfig config = ClusterConfig.load(parties.config);
        Path key = parties.key != null ? parties.key : config.party(party).key();
        if (key == null) {
            throw SecureNnException.usage("no private key for P" + party + ": add party." + party + ".key to "
                    + config.file() + " or pass --key FILE");
        }
        TlsIdentity identity = new TlsIdentity(Pem.readPrivateKey(key, "private key of P" + party), config.certificate(party));
        identity.checkMatches("P" + party + " (" + key + " and " + config.party(party).cert() + ")");
        MaxPool.Form form = switch (maxpool) {
            case "tournament" -> MaxPool.Form.TOURNAMENT;
            case "sequential" -> MaxPool.Form.SEQUENTIAL;
            default -> throw SecureNnException.usage("--maxpool must be tournament or sequential, not '" + maxpool + "'");
        };
        if ((model == null) == (modelShares == null)) throw SecureNnException.usage("give exactly one of --model and --model-shares");
        // the model is read and checked before anything listens: only P0, the model owner's proxy, reads --model
        ServedModel m = modelShares != null ? ServedModel.fromShares(modelShares, party)
                : party == 0 ? ServedModel.load(model, seed) : null;
        if (m == null && !model.toLowerCase(java.util.Locale.ROOT).endsWith(".onnx") && model.length() != 1) {
            throw SecureNnException.usage("--model " + model + ": give FILE.onnx or one of the networks A, B, C, D");
        }
        var out = spec.commandLine().getOut();
        Server server = Server.start(new Server.Options(party, config, identity, parties.transportOptions(), maxBatch,
                maxWait, parties.idleTimeout, form, PartyOptions.sessionParams(), warmup), m, line -> {
                    out.println(line);
                    out.flush();
                });
        Duration drain = parties.idleTimeout.multipliedBy(3);
        Signals.onTerm(() -> {
            server.stop(drain);
            out.flush();
            System.exit(0);   // not halt: shutdown hooks run (a JFR recording is written)
        });
        server.await();
        return 0;
    }
}
