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
import io.securenn.runtime.JitWindow;
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

    /**
     * One timed run at one party: its time, bytes and rounds, and what it cost this process (read around the run,
     * {@link ProcessTimes#runCosts}): the party thread's CPU in seconds, the JIT's compilation time and the
     * collector's collections during the run (-1: the JVM does not tell). The whole process's CPU per run is in the
     * result's {@link ProcessTimes} (the JVM's own process CPU counter has the kernel's 10 ms ticks).
     */
    public record Sample(double seconds, long bytes, long rounds, double threadCpuSeconds, long jitMillis,
                         long collections) {
        public Sample(double seconds, long bytes, long rounds) {
            this(seconds, bytes, rounds, -1, -1, -1);
        }
    }

    /**
     * What one party measured. Scopes: the ledger entries of the last run (this party's bytes and rounds); zpWire:
     * the session's Z_67 wire format; times: where this process's time went over the measured runs
     * ({@link ProcessTimes#delta}: per thread group CPU and runqueue wait, collections, JIT, allocation; and per
     * scope of a run the party thread's wall and CPU time, {@link ScopeTimes}).
     */
    public record PartyResult(int party, BenchCase benchCase, int warmup, List<Sample> runs,
                              Map<String, Ledger.Entry> scopes, ZpWire zpWire, Map<String, Object> times) {}

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
     * As above, with the warm-up lasting at least {@code warmup} runs and, when {@code warmupSeconds} is positive, at
     * least one run and then {@code warmupSeconds} more, and then as long as any party's JIT was busy over its last
     * runs ({@link JitWindow}), for at most {@link #warmUpCapNanos} after the first run ({@link #warming}). P0
     * decides, from its own clock and what P1 and P2 report in each run's start barrier, and tells them there, so all
     * three run the same steps. Small rows (a batch of one image takes milliseconds) need many runs before the JIT
     * has compiled their hot loops; the first run of a fresh JVM (class loading, the interpreter) can outlast any
     * fixed warm-up by itself (A inference at batch 128: more than 3 s), and on two cores shared by three JVMs the
     * JIT went on compiling the hot loops for seconds of runs after that (C2 threads compete with the parties), so
     * the seconds count from the first run's end and the JIT's own time says when it is done
     * (docs/benchmarks/README.md, "The small rows").
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
        ScopeTimes scopeTimes = new ScopeTimes();
        Workloads.Scopes scopes = (label, protocol) -> {
            Ledger.Scope s = protocol ? ctx.meter(label) : ctx.account(label);
            Runnable timed = scopeTimes.start(label);
            return () -> {
                s.close();
                timed.run();
            };
        };
        List<Sample> samples = new ArrayList<>();
        Map<String, Ledger.Entry> lastScopes = Map.of();
        long firstEnd = -1, warmNanos = (long) (warmupSeconds * 1e9);
        JitWindow jit = new JitWindow();
        boolean jitBusy = true;   // this party's JIT over its last runs (before any run: as busy as can be)
        int warmed = 0;
        ProcessTimes first = null, beforeBarrier = null;
        io.securenn.transport.CommStats.Handoffs handoffs0 = null;
        for (int k = 0; k < warmed + runs; k++) {
            // read before the barrier (while warming up), so that reading it delays no measured run
            if (first == null) beforeBarrier = ProcessTimes.take();
            long sinceFirst = firstEnd < 0 ? -1 : System.nanoTime() - firstEnd;
            int run = k;
            boolean started = first != null;   // once measuring, every later run is measured
            boolean measuring = barrier(ctx, jitBusy, busy -> !started && warming(run, warmup, sinceFirst, warmNanos, busy));
            if (!measuring) warmed = k + 1;
            if (measuring && first == null) {
                first = beforeBarrier;
                handoffs0 = ctx.stats().handoffs();
            }
            scopeTimes.recording(measuring);
            boolean last = k == warmed + runs - 1;
            if (last) ctx.ledger().clear();
            long[] cost0 = ProcessTimes.runCosts();
            long bytes0 = ctx.stats().bytesSent(), rounds0 = ctx.ledger().totalRounds(), t0 = System.nanoTime();
            if (model != null) {
                Workloads.modelInference(model, be.importData(images, Backend.Encoding.FIXED), c.batch(), scopes);
            } else {
                step(net, be, c, images, labels, scopes);
            }
            long t1 = System.nanoTime();
            if (firstEnd < 0) firstEnd = t1;
            long[] cost1 = ProcessTimes.runCosts();
            jitBusy = jit.add(cost0[1] < 0 ? -1 : cost1[1] - cost0[1], t1 - t0);
            if (measuring) {
                samples.add(new Sample((t1 - t0) / 1e9, ctx.stats().bytesSent() - bytes0,
                        ctx.ledger().totalRounds() - rounds0, seconds(cost0[0], cost1[0]),
                        cost0[1] < 0 ? -1 : cost1[1] - cost0[1], cost1[2] - cost0[2]));
            }
            if (last) lastScopes = new LinkedHashMap<>(ctx.ledger().entries());
        }
        Map<String, Object> times = ProcessTimes.take().delta(first, runs);
        times.put("scopes", scopeTimes.perRun(runs));
        var h = ctx.stats().handoffs().minus(handoffs0);
        Map<String, Object> frames = new LinkedHashMap<>();
        frames.put("direct_writes", (double) h.directWrites() / runs);
        frames.put("queued_writes", (double) h.queuedWrites() / runs);
        frames.put("inline_receives", (double) h.inlineReceives() / runs);
        frames.put("ready_receives", (double) h.readyReceives() / runs);
        frames.put("woken_receives", (double) h.wokenReceives() / runs);
        times.put("data_frames_per_run", frames);
        return new PartyResult(ctx.id(), c, warmed, samples, lastScopes, ctx.params().zpWire(), times);
    }

    private static double seconds(long before, long after) {
        return before < 0 || after < 0 ? -1 : (after - before) / 1e9;
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

    /** How long the JIT may keep the warm-up going after the first run: 10 × the warm-up time (30 s by default). */
    static long warmUpCapNanos(long warmNanos) {
        return 10 * warmNanos;
    }

    /**
     * Whether run k (from 0) is a warm-up run: one of the first {@code warmup}; or, with a warm-up time, the first
     * run ({@code sinceFirstNanos} &lt; 0: it has not ended), a run that starts less than {@code warmNanos} after the
     * first one ended, or one after a run in which some party's JIT was busy, until {@link #warmUpCapNanos}.
     */
    static boolean warming(int k, int warmup, long sinceFirstNanos, long warmNanos, boolean anyJitBusy) {
        if (k < warmup) return true;
        if (warmNanos <= 0) return false;
        if (sinceFirstNanos < 0 || sinceFirstNanos < warmNanos) return true;
        return anyJitBusy && sinceFirstNanos < warmUpCapNanos(warmNanos);
    }

    /** P0's warm-up decision from whether any party's JIT was busy in its last run. */
    interface WarmUp {
        boolean warming(boolean anyJitBusy);
    }

    /**
     * P1 and P2 tell P0 they are ready, with whether their JIT was busy in their last run (byte 2, else 1); P0 answers
     * both with whether the run is measured (its warm-up decision, from its own JIT's {@code jitBusy} and theirs).
     * One byte each way, outside every measured interval. Returns true for a measured run.
     */
    static boolean barrier(PartyContext ctx, boolean jitBusy, WarmUp decide) {
        if (ctx.id() == PartyContext.P0) {
            boolean busy = jitBusy;
            for (int peer : new int[] {PartyContext.P1, PartyContext.P2}) {
                byte b = ctx.receiveBytes(peer, 1)[0];
                if (b != 1 && b != 2) throw new io.securenn.SecureNnException(io.securenn.SecureNnException.Kind.PEER_MISBEHAVED,
                        "P" + peer + " sent a ready signal other than 1 or 2");
                busy |= b == 2;
            }
            boolean warming = decide.warming(busy);
            byte[] go = {(byte) (warming ? 0 : 1)};
            ctx.sendBytes(PartyContext.P1, go);
            ctx.sendBytes(PartyContext.P2, go);
            return !warming;
        }
        ctx.sendBytes(PartyContext.P0, new byte[] {(byte) (jitBusy ? 2 : 1)});
        byte go = ctx.receiveBytes(PartyContext.P0, 1)[0];
        if (go != 0 && go != 1) throw new io.securenn.SecureNnException(io.securenn.SecureNnException.Kind.PEER_MISBEHAVED,
                "P0 sent a start signal other than 0 or 1");
        return go == 1;
    }
}
