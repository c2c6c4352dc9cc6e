package io.securenn.train;

import io.securenn.SecureNnException;
import io.securenn.model.GraphModel;
import io.securenn.nn.Backend;
import io.securenn.nn.Parameter;
import io.securenn.random.Seeds;
import io.securenn.runtime.PartyContext;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Periodic checkpoints of a training run and the agreement on where to resume. Every party writes its own state
 * into its own directory (every N batches and at each epoch's end); on resume, P1 and P2 tell P0 which (run, step)
 * pairs they hold, P0 picks the newest step all three hold for one run and tells them, and each party loads its
 * own file. Checkpoints of different runs, or none in common, are refused with a message that says which.
 *
 * <p>Run alone (plaintext), the same class writes and reads one party's files without messages.
 */
public final class Checkpoints<V> {

    private final Path dir;
    private final int every;
    private final PartyContext ctx;   // null when run alone
    private final int party;
    private final Backend.ShareCodec<V> codec;
    private final GraphModel<V> net;
    private final String model;
    private final int keep;
    private byte[] runId;
    private long step;

    /**
     * @param ctx   this party's context in a secure run, null when run alone
     * @param model what the checkpoints are of, at most 16 ASCII characters: a network's letter, or an imported
     *              model's {@link #modelId} (a resume from another model's checkpoints is refused)
     */
    public Checkpoints(Path dir, int every, PartyContext ctx, GraphModel<V> net, String model) {
        if (every < 1) throw SecureNnException.usage("--checkpoint-every must be at least 1");
        if (net.backend().shareCodec() == null) throw new IllegalArgumentException("this backend keeps no checkpoints");
        if (model.length() > 16) throw new IllegalArgumentException("model id longer than 16 characters");
        this.dir = dir;
        this.every = every;
        this.ctx = ctx;
        this.party = ctx == null ? 0 : ctx.id();
        this.codec = net.backend().shareCodec();
        this.net = net;
        this.model = model;
        this.keep = 3;
    }

    public String runIdHex() {
        return runId == null ? "-" : HexFormat.of().formatHex(runId);
    }

    /** A fresh run: P0 draws the run id and sends it to P1 and P2. */
    public void startNewRun() {
        if (ctx == null || party == PartyContext.P0) {
            runId = Seeds.fresh(16);
            if (ctx != null) for (int p = 1; p < 3; p++) ctx.sendBytes(p, runId);
        } else {
            runId = ctx.receiveBytes(PartyContext.P0, 16);
        }
        step = 0;
    }

    /** The hook to give the trainer. */
    public Trainer.BatchHook<V> hook() {
        return (next, batchesPerEpoch) -> {
            step++;
            if (next.nextBatch() == 0 || step % every == 0) write(next);
        };
    }

    private void write(Trainer.Position<V> next) {
        List<long[]> ts = new ArrayList<>();
        for (Parameter<V> p : net.trainingState()) ts.add(codec.export(p.value()));
        ts.add(next.lossSum() == null ? new long[0] : codec.export(next.lossSum()));
        ts.add(next.correctSum() == null ? new long[0] : codec.export(next.correctSum()));
        long[] positions = ctx == null ? new long[0] : streamPositions();
        new Checkpoint(party, runId, model, next.epoch(), next.nextBatch(), step, positions, ts)
                .writeTo(dir, keep);
    }

    private long[] streamPositions() {
        long[] r = new long[3];
        for (int p = 0; p < 3; p++) r[p] = p == party ? ctx.local().position() : ctx.pair(p).position();
        return r;
    }

    /**
     * Agrees with the other parties on the newest checkpoint all three hold, loads this party's into the network
     * and returns the position to continue from.
     */
    public Trainer.Position<V> resume() {
        List<Checkpoint> mine = new ArrayList<>();
        for (Path f : Checkpoint.list(dir)) mine.add(Checkpoint.read(f));
        long[] chosen;   // {status, step}, run id separately
        byte[] chosenRun;
        if (ctx == null) {
            if (mine.isEmpty()) throw SecureNnException.badInput("no checkpoint to resume from in " + dir);
            Checkpoint last = mine.get(mine.size() - 1);
            chosenRun = last.runId();
            chosen = new long[] {0, last.step()};
        } else if (party == PartyContext.P0) {
            List<List<long[]>> held = new ArrayList<>();
            held.add(describe(mine));
            for (int p = 1; p < 3; p++) {
                int n = (int) ctx.receiveLongs(p, 1)[0];
                long[] flat = n == 0 ? new long[0] : ctx.receiveLongs(p, 3 * n);
                List<long[]> list = new ArrayList<>();
                for (int i = 0; i < n; i++) list.add(Arrays.copyOfRange(flat, 3 * i, 3 * i + 3));
                held.add(list);
            }
            long[] decision = decide(held);
            for (int p = 1; p < 3; p++) ctx.sendLongs(p, decision);
            chosen = new long[] {decision[0], decision[3]};
            chosenRun = runBytes(decision[1], decision[2]);
            if (decision[0] != 0) throw refusal(decision, held);
        } else {
            List<long[]> d = describe(mine);
            ctx.sendLongs(PartyContext.P0, new long[] {d.size()});
            long[] flat = new long[3 * d.size()];
            for (int i = 0; i < d.size(); i++) System.arraycopy(d.get(i), 0, flat, 3 * i, 3);
            if (d.size() > 0) ctx.sendLongs(PartyContext.P0, flat);
            long[] decision = ctx.receiveLongs(PartyContext.P0, 4);
            chosen = new long[] {decision[0], decision[3]};
            chosenRun = runBytes(decision[1], decision[2]);
            if (decision[0] != 0) throw refusal(decision, null);
        }
        Checkpoint c = null;
        for (Checkpoint k : mine) if (k.step() == chosen[1] && Arrays.equals(k.runId(), chosenRun)) c = k;
        if (c == null) throw SecureNnException.badInput("checkpoint of step " + chosen[1] + " vanished from " + dir);
        return load(c);
    }

    private Trainer.Position<V> load(Checkpoint c) {
        if (!c.architecture().equals(model)) {
            throw SecureNnException.badInput("checkpoint " + c.step() + " holds " + describe(c.architecture())
                    + ", this run trains " + describe(model));
        }
        if (c.party() != party) {
            throw SecureNnException.badInput("checkpoint directory " + dir + " holds party P" + c.party()
                    + "'s checkpoints, not P" + party + "'s");
        }
        List<Parameter<V>> ps = net.trainingState();
        if (c.tensors().size() != ps.size() + 2) {
            throw SecureNnException.badInput("checkpoint " + c.step() + " has " + c.tensors().size()
                    + " tensors, " + describe(model) + (ps.size() > net.parameters().size() ? " with momentum or master weights" : "")
                    + " needs " + (ps.size() + 2) + " (was it started with the same --momentum-shift and --master-bits?)");
        }
        for (int i = 0; i < ps.size(); i++) {
            Parameter<V> p = ps.get(i);
            long[] t = c.tensors().get(i);
            if (party != PartyContext.P2 && t.length != p.size()) {
                throw SecureNnException.badInput("checkpoint " + c.step() + ": " + p.name() + " has " + t.length
                        + " values, expected " + p.size());
            }
            p.set(codec.load(t, p.size()));
        }
        runId = c.runId();
        step = c.step();
        V loss = accumulator(c.tensors().get(ps.size()), c.nextBatch());
        V correct = accumulator(c.tensors().get(ps.size() + 1), c.nextBatch());
        return new Trainer.Position<>(c.epoch(), c.nextBatch(), loss, correct);
    }

    /** "network A", or "model G…" for an imported model's id. */
    private static String describe(String model) {
        return (model.matches("[ABCD]") ? "network " : "model ") + model;
    }

    /**
     * The checkpoint id of an imported model: "G" and 12 hex digits of the SHA-256 of its public graph (its name
     * left out, so a renamed file resumes).
     */
    public static String modelId(io.securenn.model.ModelGraph g) {
        io.securenn.model.ModelGraph unnamed = new io.securenn.model.ModelGraph("model", g.inputName(), g.inputShape(),
                g.outputName(), g.nodes(), g.output());
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(io.securenn.model.ModelGraphCodec.encode(unnamed));
            return "G" + HexFormat.of().formatHex(h, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A metric sum: one value at P0/P1, none at P2; at every party null when the checkpoint had none. */
    private V accumulator(long[] t, int nextBatch) {
        // P2 stores empty arrays for everything; for it the batch position tells whether sums exist
        boolean exists = party == PartyContext.P2 ? nextBatch > 0 : t.length > 0;
        return exists ? codec.load(t, 1) : null;
    }

    private static List<long[]> describe(List<Checkpoint> cs) {
        List<long[]> out = new ArrayList<>();
        for (Checkpoint c : cs) {
            ByteBuffer b = ByteBuffer.wrap(c.runId());
            out.add(new long[] {b.getLong(), b.getLong(), c.step()});
        }
        return out;
    }

    private static byte[] runBytes(long hi, long lo) {
        return ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
    }

    /** {status, runHi, runLo, step}: status 0 ok, 1 nothing in common, 2 different runs. */
    static long[] decide(List<List<long[]>> held) {
        long best = -1, hi = 0, lo = 0;
        for (long[] c : held.get(0)) {
            boolean everywhere = true;
            for (int p = 1; p < held.size() && everywhere; p++) {
                boolean found = false;
                for (long[] d : held.get(p)) found |= d[0] == c[0] && d[1] == c[1] && d[2] == c[2];
                everywhere = found;
            }
            if (everywhere && c[2] > best) {
                best = c[2];
                hi = c[0];
                lo = c[1];
            }
        }
        if (best >= 0) return new long[] {0, hi, lo, best};
        // nothing in common: a party whose checkpoints share no run with P0's means different runs
        for (int p = 1; p < held.size(); p++) {
            if (held.get(0).isEmpty() || held.get(p).isEmpty()) continue;
            boolean sameRun = false;
            for (long[] c : held.get(0))
                for (long[] d : held.get(p)) sameRun |= d[0] == c[0] && d[1] == c[1];
            if (!sameRun) return new long[] {2, 0, 0, 0};
        }
        return new long[] {1, 0, 0, 0};
    }

    private SecureNnException refusal(long[] decision, List<List<long[]>> held) {
        String detail = "";
        if (held != null) {
            StringBuilder sb = new StringBuilder(" (");
            for (int p = 0; p < held.size(); p++) {
                List<long[]> l = held.get(p);
                sb.append(p == 0 ? "" : ", ").append("P").append(p).append(": ");
                if (l.isEmpty()) sb.append("none");
                else {
                    long[] last = l.get(l.size() - 1);
                    sb.append("run ").append(HexFormat.of().formatHex(runBytes(last[0], last[1])), 0, 8)
                            .append(" step ").append(last[2]);
                }
            }
            detail = sb.append(")").toString();
        }
        return SecureNnException.badInput(decision[0] == 2
                ? "the parties' checkpoints belong to different runs; resume needs all three from one run" + detail
                : "no checkpoint held by all three parties to resume from" + detail);
    }
}
