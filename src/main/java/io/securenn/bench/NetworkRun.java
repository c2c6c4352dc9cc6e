package io.securenn.bench;

import io.securenn.nn.Backend;
import io.securenn.job.InferenceJob;
import io.securenn.model.GraphModel;
import io.securenn.model.Init;
import io.securenn.model.ModelGraph;
import io.securenn.model.ModelGraphCodec;
import io.securenn.model.onnx.OnnxImporter;
import io.securenn.model.onnx.StreamedModel;
import io.securenn.model.ModelWeights;
import io.securenn.model.Network;
import io.securenn.nn.secure.Secret;
import io.securenn.nn.secure.SecureBackend;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.ring.ZpWire;
import io.securenn.runtime.Ledger;
import io.securenn.runtime.PartyContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One party's part of a benchmark row: builds the network over the secure backend (weights from {@link Init} at
 * P0, the model owner's proxy; or an ONNX model's, which P0 streams from the file), then runs the row's step {@code warmup + runs} times. Before each run the three
 * parties meet at a barrier (P1 and P2 signal P0, P0 answers both), so each run starts together; a run's time
 * at this party is from the barrier to the end of its own part, and its bytes and rounds are this party's
 * counters over the run. The ledger of the last run is kept, per scope, for the comparison with the model.
 */
public final class NetworkRun {
    private NetworkRun() {}

    /** One timed run at one party. */
    public record Sample(double seconds, long bytes, long rounds) {}

    /**
     * What one party measured. Scopes: the ledger entries of the last run (this party's bytes and rounds); zpWire:
     * the session's Z_67 wire format.
     */
    public record PartyResult(int party, BenchCase benchCase, int warmup, List<Sample> runs,
                              Map<String, Ledger.Entry> scopes, ZpWire zpWire) {}

    /**
     * The job parameters the three party processes of a row agree on at set-up (the session's job hash, which adds
     * the session parameters, the Z_67 wire format among them, itself).
     */
    public static String jobParams(BenchCase c, int warmup, double warmupSeconds, int runs, long seed, MaxPool.Form form) {
        return "case=" + c + " warmup=" + warmup + " warmup-seconds=" + warmupSeconds + " runs=" + runs + " seed=" + seed
                + " maxpool=" + form;
    }

    public static PartyResult run(PartyContext ctx, BenchCase c, int warmup, int runs, long seed, MaxPool.Form form) {
        return run(ctx, c, warmup, 0, runs, seed, form);
    }

    /**
     * As above, with the warm-up lasting at least {@code warmup} runs and at least {@code warmupSeconds} (P0's
     * clock decides, and tells the others in each run's start barrier, so all three run the same steps): small
     * rows (a batch of one image takes milliseconds) need many runs before the JIT has compiled their hot loops.
     */
    public static PartyResult run(PartyContext ctx, BenchCase c, int warmup, double warmupSeconds, int runs, long seed,
                                  MaxPool.Form form) {
        if (warmup < 0 || runs < 1 || warmupSeconds < 0) {
            throw new IllegalArgumentException("warm-up " + warmup + " (" + warmupSeconds + " s), runs " + runs);
        }
        boolean owner = ctx.id() == PartyContext.P0;
        SecureBackend be = new SecureBackend(ctx, form);
        Network<Secret> net = null;
        GraphModel<Secret> model = null;
        int inputs, outputs;
        if (c.model() != null) {
            // an ONNX model: P0 streams the file and sends the public graph; no server holds the weights' shares
            // (made again at each use, as infer --model does); the model is shared before the runs
            StreamedModel sm = owner ? OnnxImporter.streamModel(c.model()) : null;
            byte[] g = be.publicFromOwner(owner ? ModelGraphCodec.encode(sm.graph()) : null);
            ModelGraph graph = owner ? sm.graph() : ModelGraphCodec.decode(g);
            model = InferenceJob.share(be, graph, owner ? sm.parameters() : null, true);
            inputs = c.batch() * graph.inputSize();
            outputs = c.batch() * graph.classes();
        } else {
            ModelWeights weights = owner ? Init.draw(c.network(), seed) : ModelWeights.placeholder(c.network());
            net = Network.build(be, weights);
            inputs = c.batch() * c.network().inputSize();
            outputs = c.batch() * c.network().classes();
        }
        // only P0's values are used by the import; the others give the lengths
        long[] images = !owner ? new long[inputs] : c.model() != null ? Workloads.syntheticInputs(inputs, seed)
                : Workloads.syntheticImages(c.network(), c.batch(), seed);
        long[] labels = owner && c.model() == null ? Workloads.syntheticLabels(c.network(), c.batch(), seed) : new long[outputs];
        Workloads.Scopes scopes = (label, protocol) -> {
            Ledger.Scope s = protocol ? ctx.meter(label) : ctx.account(label);
            return s::close;
        };
        List<Sample> samples = new ArrayList<>();
        Map<String, Ledger.Entry> lastScopes = Map.of();
        long warmStart = System.nanoTime(), warmNanos = (long) (warmupSeconds * 1e9);
        int warmed = 0;
        for (int k = 0; k < warmed + runs; k++) {
            boolean measuring = barrier(ctx, k < warmup || System.nanoTime() - warmStart < warmNanos);
            if (!measuring) warmed = k + 1;
            boolean last = k == warmed + runs - 1;
            if (last) ctx.ledger().clear();
            long bytes0 = ctx.stats().bytesSent(), rounds0 = ctx.ledger().totalRounds(), t0 = System.nanoTime();
            if (model != null) {
                Workloads.modelInference(model, be.importData(images, Backend.Encoding.FIXED), c.batch(), scopes);
            } else {
                step(net, be, c, images, labels, scopes);
            }
            long t1 = System.nanoTime();
            if (measuring) {
                samples.add(new Sample((t1 - t0) / 1e9, ctx.stats().bytesSent() - bytes0,
                        ctx.ledger().totalRounds() - rounds0));
            }
            if (last) lastScopes = new LinkedHashMap<>(ctx.ledger().entries());
        }
        return new PartyResult(ctx.id(), c, warmed, samples, lastScopes, ctx.params().zpWire());
    }

    private static void step(Network<Secret> net, Backend<Secret> be, BenchCase c, long[] images, long[] labels,
                             Workloads.Scopes scopes) {
        Secret x = be.importData(images, Backend.Encoding.FIXED);
        if (c.mode() == BenchCase.Mode.INFERENCE) {
            Workloads.inference(net, x, c.batch(), scopes);
        } else {
            Secret y = be.importData(labels, Backend.Encoding.FIXED);
            Workloads.trainingIteration(net, x, y, c.batch(), scopes);
        }
    }

    /**
     * P1 and P2 tell P0 they are ready; P0 answers both with whether the run is measured (its own warm-up decision,
     * {@code warming}). One byte each way, outside every measured interval. Returns true for a measured run.
     */
    static boolean barrier(PartyContext ctx, boolean warming) {
        if (ctx.id() == PartyContext.P0) {
            ctx.receiveBytes(PartyContext.P1, 1);
            ctx.receiveBytes(PartyContext.P2, 1);
            byte[] go = {(byte) (warming ? 0 : 1)};
            ctx.sendBytes(PartyContext.P1, go);
            ctx.sendBytes(PartyContext.P2, go);
            return !warming;
        }
        ctx.sendBytes(PartyContext.P0, new byte[] {1});
        byte go = ctx.receiveBytes(PartyContext.P0, 1)[0];
        if (go != 0 && go != 1) throw new io.securenn.SecureNnException(io.securenn.SecureNnException.Kind.PEER_MISBEHAVED,
                "P0 sent a start signal other than 0 or 1");
        return go == 1;
    }
}
