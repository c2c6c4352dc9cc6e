package io.securenn.nn.secure;

import io.securenn.nn.Backend;
import io.securenn.protocol.division.Division;
import io.securenn.protocol.dmaxpool.DMaxPool;
import io.securenn.protocol.drelu.DReLU;
import io.securenn.protocol.matmul.Convolution;
import io.securenn.protocol.matmul.MatMul;
import io.securenn.protocol.matmul.WeightMask;
import io.securenn.protocol.matmul.WeightMasks;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.protocol.relu.ReLU;
import io.securenn.protocol.sharing.Sharing;
import io.securenn.ring.FixedPoint;
import io.securenn.runtime.PartyContext;
import io.securenn.runtime.ProcessMemory;
import io.securenn.tensor.ConvGeometry;
import io.securenn.tensor.MatrixOps;
import io.securenn.tensor.VectorOps;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The secure backend: every handle is an additive sharing between P0 and P1; interactive operations are the
 * SecureNN protocols, local ones act on each party's own share (linear maps commute with sharing). The same
 * instance runs at all three parties, SPMD: P2 follows along with lengths only and plays its part inside the
 * protocols.
 *
 * <p>Roles: P0 acts as the data owner for {@link #importData} of public datasets (every party is given the same
 * data; P0 deals), as the model owner's proxy for {@link #importModel} and as the output party of {@link #reveal}.
 * A run whose data owner is outside the servers reads share files instead (see the share command).
 *
 * <p>Stationary weights ({@link #stationaryWeights}): in a session that runs several batches with fixed weights,
 * every model tensor imported afterwards gets its own {@link WeightMask}, keyed by its handle (a handle's value never
 * changes: every result is a new handle, at P2 too, so the three parties tell handles apart alike), and each
 * product or convolution with that handle as its weight operand computes with the mask (docs/PROTOCOLS.md,
 * "Stationary weight masks"): F opened once per session.
 */
public final class SecureBackend implements Backend<Secret> {
    private PartyContext ctx;
    private final MaxPool.Form maxForm;
    private long bytesMark;
    private long roundsMark;
    /** The session's stationary weight masks, or null: every product masks its weights per call. */
    private WeightMasks weightMasks;
    /** Each model tensor imported while masks are on, with its own mask (by identity: one mask per value). */
    private final Map<Secret, WeightMask> masked = new java.util.IdentityHashMap<>();

    public SecureBackend(PartyContext ctx, MaxPool.Form maxForm) {
        this.ctx = ctx;
        this.maxForm = maxForm;
    }

    public SecureBackend(PartyContext ctx) {
        this(ctx, MaxPool.Form.TOURNAMENT);
    }

    public PartyContext context() {
        return ctx;
    }

    /**
     * Serving (io.securenn.serve): the next batch runs on its own context, with streams derived for that batch
     * over the same links ({@link io.securenn.runtime.BatchStreams}); the handles made so far (the model's shares)
     * stay valid. Called between batches only, by the thread that runs them.
     */
    public void useContext(PartyContext next) {
        if (next.id() != ctx.id()) throw new IllegalArgumentException("P" + ctx.id() + " cannot take P" + next.id() + "'s context");
        ctx = next;
    }

    private boolean helper() {
        return ctx.isHelper();
    }

    private Secret wrap(long[] share, int length) {
        return new Secret(helper() ? null : share, length);
    }

    /** A handle whose share this party already holds (e.g. read from a share file); P2 passes null. */
    public Secret fromShare(long[] share, int length) {
        return wrap(share, length);
    }

    /** This party's share (null at P2), for writing share files and checkpoints only. */
    public long[] shareOf(Secret s) {
        return s.share();
    }

    /** Checkpoints and share files hold this party's share (P2: none, only the length). */
    @Override
    public ShareCodec<Secret> shareCodec() {
        return new ShareCodec<>() {
            @Override
            public long[] export(Secret v) {
                long[] s = v.share();
                return s == null ? new long[0] : s;
            }

            @Override
            public Secret load(long[] stored, int length) {
                return fromShare(stored.length == 0 ? null : stored, length);
            }
        };
    }

    private Secret local(Secret a, int outLength, UnaryOperator<long[]> f) {
        return helper() ? new Secret((long[]) null, outLength) : wrap(f.apply(a.share()), outLength);
    }

    private static void sameLength(Secret a, Secret b) {
        if (a.length != b.length) throw new IllegalArgumentException("length mismatch " + a.length + " vs " + b.length);
    }

    // ---- entry and exit

    @Override
    public Secret importData(long[] values, Encoding encoding) {
        return wrap(Sharing.dealFrom(ctx, PartyContext.P0, values, values.length), values.length);
    }

    /** Largest frame of public bytes (far below the transport's frame limit). */
    private static final int PUBLIC_FRAME = 1 << 18;
    /** Largest public message accepted from P0 (a model graph is tens of kilobytes). */
    private static final long PUBLIC_LIMIT = 64L << 20;

    @Override
    public byte[] publicFromOwner(byte[] bytes) {
        if (ctx.id() == PartyContext.P0) {
            if (bytes == null) throw new IllegalArgumentException("the owner's public bytes are missing");
            for (int peer = 1; peer <= 2; peer++) {
                ctx.sendLongs(peer, new long[] {bytes.length});
                for (int off = 0; off < bytes.length; off += PUBLIC_FRAME) {
                    ctx.sendBytes(peer, java.util.Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + PUBLIC_FRAME)));
                }
            }
            return bytes;
        }
        long n = ctx.receiveLongs(PartyContext.P0, 1)[0];
        if (n < 0 || n > PUBLIC_LIMIT) {
            throw ctx.peerMisbehaved(PartyContext.P0, "announced " + n + " public bytes (limit " + PUBLIC_LIMIT + ")");
        }
        byte[] out = new byte[(int) n];
        for (int off = 0; off < n; off += PUBLIC_FRAME) {
            int len = (int) Math.min(PUBLIC_FRAME, n - off);
            System.arraycopy(ctx.receiveBytes(PartyContext.P0, len), 0, out, off, len);
        }
        return out;
    }

    @Override
    public Secret importModel(long[] fixed) {
        if (held != null) {
            if (!held.hasNext()) throw new IllegalStateException("more model tensors than held shares");
            long[] s = held.next();
            if (!helper() && s.length != fixed.length) {
                throw new IllegalArgumentException("a held share of " + s.length + " values for a tensor of " + fixed.length);
            }
            return modelTensor(wrap(helper() ? null : s, fixed.length));
        }
        return modelTensor(wrap(Sharing.dealFrom(ctx, PartyContext.P0, fixed, fixed.length), fixed.length));
    }

    /**
     * Inference of several batches with these weights (docs/PROTOCOLS.md, "Stationary weight masks"): when the
     * session's budget ({@code SessionParams.weightMaskBudget}) holds the model's parameters, draws the session's
     * mask masters from the pair streams with P2 (every party at this point of its job) and masks every weight
     * imported from now on once. The decision uses public values only, so the three parties take it alike.
     */
    @Override
    public boolean stationaryWeights(long parameters) {
        if (weightMasks != null) throw new IllegalStateException("the session's weight masks are set up already");
        if (!ctx.params().masksWeightsOnce(parameters)) return false;
        weightMasks = WeightMasks.from(ctx);
        return true;
    }

    /** The session's stationary weight masks, or null when weights are masked per product (tests, traces). */
    public WeightMasks weightMasks() {
        return weightMasks;
    }

    /** Gives a model tensor its own stationary mask when the session has them; returns the handle. */
    private Secret modelTensor(Secret s) {
        if (weightMasks != null) masked.put(s, weightMasks.next(s.length));
        return s;
    }

    /** The stationary mask of a weight operand, or null (none: masks off, or not a model tensor of this session). */
    private WeightMask maskOf(Secret weight) {
        return weightMasks == null ? null : masked.get(weight);
    }

    /** Shares this party already holds, taken by {@link #importModel} in order instead of P0 dealing; null: deal. */
    private java.util.Iterator<long[]> held;

    /**
     * From now on {@link #importModel} takes the next of these shares (this party's, from a share file the model owner
     * made; P2 passes empty arrays) instead of P0 dealing the tensor; null returns to dealing. Every party must do the
     * same, as for every call of the backend.
     */
    public void useHeldShares(List<long[]> shares) {
        held = shares == null ? null : shares.iterator();
    }

    /**
     * A weight whose share is not held: P1's share is a stream seeded from the P0–P1 stream and P0's the tensor, as
     * {@code fixed} makes it again, less that stream ({@link Sharing#dealRegenerated}); each read of the handle
     * makes the share anew (issue 15: a share of ResNet-50's weights is 204 MB at each server).
     */
    @Override
    public Secret importModel(int length, java.util.function.Supplier<long[]> fixed) {
        if (held != null) return importModel(new long[length]);   // held shares (serve --model-shares): taken as they are
        if (helper()) return modelTensor(new Secret((long[]) null, length));
        return modelTensor(new Secret(Sharing.dealRegenerated(ctx, PartyContext.P0, length, fixed), length));
    }

    @Override
    public long[] reveal(Secret v, Encoding encoding) {
        try (var scope = ctx.meter("Sharing.reveal")) {   // one round: P1's shares to P0
            return Sharing.reveal(ctx, v.share(), Sharing.Recipient.P0);
        }
    }

    @Override
    public int length(Secret v) {
        return v.length;
    }

    // ---- local linear operations

    @Override
    public Secret add(Secret a, Secret b) {
        sameLength(a, b);
        // a new handle at P2 too: handles are told apart by identity (the weight masks), alike at the three parties
        return helper() ? new Secret((long[]) null, a.length) : wrap(io.securenn.ring.Ring64.add(a.share(), b.share()), a.length);
    }

    @Override
    public Secret sub(Secret a, Secret b) {
        sameLength(a, b);
        return helper() ? new Secret((long[]) null, a.length) : wrap(io.securenn.ring.Ring64.sub(a.share(), b.share()), a.length);
    }

    @Override
    public Secret neg(Secret a) {
        return local(a, a.length, s -> io.securenn.ring.Ring64.scale(s, -1));
    }

    @Override
    public Secret addRowVector(Secret matrix, Secret row, int rows, int cols) {
        if (matrix.length != (long) rows * cols || row.length != cols) {
            throw new IllegalArgumentException("bias of " + row.length + " for a " + rows + "x" + cols + " matrix");
        }
        return local(matrix, matrix.length, m -> VectorOps.addRowVector(m, row.share(), rows, cols));
    }

    @Override
    public Secret addPublicFixed(Secret a, double c) {
        long e = FixedPoint.encode(c);
        return local(a, a.length, s -> {
            long[] r = s.clone();
            Sharing.addPublic(ctx, r, e);
            return r;
        });
    }

    @Override
    public Secret integerToFixed(Secret a) {
        return local(a, a.length, s -> io.securenn.ring.Ring64.scale(s, FixedPoint.ONE));
    }

    @Override
    public Secret mulPublic(Secret a, double[] c) {
        io.securenn.nn.PublicScale.check(a.length, c);
        int bits = io.securenn.nn.PublicScale.bits(c);
        long[] e = io.securenn.nn.PublicScale.encode(c, bits);
        return local(a, a.length, s -> {
            long[] r = io.securenn.nn.PublicScale.multiply(s, e);
            MatMul.truncate(ctx, r, bits);
            return r;
        });
    }

    @Override
    public Secret truncate(Secret a, int k) {
        return local(a, a.length, s -> {
            long[] r = s.clone();
            MatMul.truncate(ctx, r, k);
            return r;
        });
    }

    @Override
    public Secret sumColumns(Secret matrix, int rows, int cols) {
        return local(matrix, cols, m -> VectorOps.sumColumns(m, rows, cols));
    }

    @Override
    public Secret sumRows(Secret matrix, int rows, int cols) {
        return local(matrix, rows, m -> VectorOps.sumRows(m, rows, cols));
    }

    @Override
    public Secret gather(Secret a, int[] index) {
        return local(a, index.length, s -> VectorOps.gather(s, index));
    }

    @Override
    public Secret scatterAdd(Secret a, int[] index, int outLength) {
        return local(a, outLength, s -> VectorOps.scatterAdd(s, index, outLength));
    }

    @Override
    public Secret concat(List<Secret> parts) {
        int n = 0;
        for (Secret p : parts) n += p.length;
        if (helper()) return new Secret((long[]) null, n);
        List<long[]> shares = new ArrayList<>(parts.size());
        for (Secret p : parts) shares.add(p.share());
        return wrap(VectorOps.concat(shares), n);
    }

    @Override
    public Secret im2col(Secret x, ConvGeometry g) {
        return local(x, g.rows() * g.cols(), g::im2col);
    }

    @Override
    public Secret col2im(Secret cols, ConvGeometry g) {
        return local(cols, g.inputSize(), g::col2im);
    }

    @Override
    public Secret rowsToNchw(Secret rows, int batch, int p, int q, int d) {
        return local(rows, rows.length, s -> ConvGeometry.rowsToNchw(s, batch, p, q, d));
    }

    @Override
    public Secret nchwToRows(Secret nchw, int batch, int p, int q, int d) {
        return local(nchw, nchw.length, s -> ConvGeometry.nchwToRows(s, batch, p, q, d));
    }

    // ---- interactive operations

    @Override
    public List<Secret> matmul(List<Product<Secret>> products) {
        List<MatMul.Spec> specs = new ArrayList<>(products.size());
        for (Product<Secret> p : products) {
            if (p.x().length != (long) p.m() * p.n() || p.y().length != (long) p.n() * p.v()) {
                throw new IllegalArgumentException("operands do not match the product " + p.m() + "x" + p.n() + "x" + p.v());
            }
            // a transposed X (an im2col matrix in the weight gradient) is read in place; Y is a weight matrix
            long[] y = helper() ? null : p.transposeY() ? MatrixOps.transpose(p.y().share(), p.v(), p.n()) : p.y().share();
            MatMul.Spec spec = p.transposeX() ? MatMul.Spec.transposedX(p.x().share(), y, p.m(), p.n(), p.v())
                    : MatMul.Spec.matrix(p.x().share(), y, p.m(), p.n(), p.v());
            specs.add(p.weightY() ? spec.withStationaryY(maskOf(p.y())) : spec);
        }
        long[][] r = MatMul.run(ctx, specs);
        List<Secret> out = new ArrayList<>(products.size());
        for (int k = 0; k < products.size(); k++) {
            Product<Secret> p = products.get(k);
            MatMul.truncate(ctx, r[k], FixedPoint.FRAC_BITS + p.extraShift());
            out.add(wrap(r[k], p.m() * p.v()));
        }
        return out;
    }

    @Override
    public Secret convolve(Secret x, ConvGeometry g, Secret w, int outChannels) {
        if (x.length != g.inputSize() || w.length != (long) g.cols() * outChannels) {
            throw new IllegalArgumentException("operands do not match the convolution " + g + " → " + outChannels);
        }
        long[] r = Convolution.product(ctx, x.share(), g, w.share(), outChannels, maskOf(w));
        MatMul.truncate(ctx, r, FixedPoint.FRAC_BITS);
        return wrap(r, g.rows() * outChannels);
    }

    @Override
    public Secret mulFixed(Secret a, Secret b) {
        sameLength(a, b);
        return wrap(MatMul.hadamardFixed(ctx, a.share(), b.share(), a.length), a.length);
    }

    @Override
    public Secret mulBits(Secret bits, Secret x) {
        sameLength(bits, x);
        return wrap(MatMul.hadamard(ctx, bits.share(), x.share(), x.length), x.length);
    }

    @Override
    public ReluResult<Secret> relu(Secret x) {
        ReLU.Result r = ReLU.run(ctx, x.share(), x.length);
        return new ReluResult<>(wrap(r.relu(), x.length), wrap(r.drelu(), x.length));
    }

    @Override
    public Secret drelu(Secret x) {
        return wrap(DReLU.run(ctx, x.share(), x.length), x.length);
    }

    @Override
    public MaxResult<Secret> max(Secret x, int count, int n) {
        if (x.length != (long) count * n) {
            throw new IllegalArgumentException(count + " windows of " + n + " need " + (long) count * n + " values");
        }
        MaxPool.Result r = MaxPool.run(ctx, x.share(), count, n, maxForm);
        return new MaxResult<>(wrap(r.max(), count), wrap(r.index(), count));
    }

    @Override
    public Secret argmax(Secret x, int count, int n) {
        if (x.length != (long) count * n) {
            throw new IllegalArgumentException(count + " windows of " + n + " need " + (long) count * n + " values");
        }
        return wrap(MaxPool.argmax(ctx, x.share(), count, n), count);
    }

    @Override
    public Secret oneHot(Secret index, int count, int n) {
        return wrap(DMaxPool.run(ctx, index.share(), count, n), count * n);
    }

    @Override
    public Secret divide(Secret x, Secret y) {
        sameLength(x, y);
        return wrap(Division.run(ctx, x.share(), y.share(), x.length), x.length);
    }

    /**
     * Bytes each party sent and the rounds of top-level protocols since the previous call, and each party's
     * resident memory (peak so far and current, of its process: in a single-process run the three report the same
     * process): P1 and P2 report theirs to P0 in one small message each (not counted in the figures it reports), so
     * P0 holds all three. Keys bytes_P0..2, rounds, peak_rss_mb_P0..2, rss_mb_P0..2 at P0; this party's own
     * figures elsewhere.
     */
    @Override
    public Map<String, Number> takeCounters() {
        long bytes = ctx.stats().bytesSent() - bytesMark, rounds = ctx.ledger().totalRounds() - roundsMark;
        long[][] all = new long[3][];
        long[] rss = ProcessMemory.read();
        all[ctx.id()] = new long[] {bytes, rounds, rss[0], rss[1]};
        if (ctx.id() == PartyContext.P0) {
            for (int p = 1; p < 3; p++) all[p] = ctx.receiveLongs(p, 4);
        } else {
            ctx.sendLongs(PartyContext.P0, all[ctx.id()]);
        }
        bytesMark = ctx.stats().bytesSent();
        roundsMark = ctx.ledger().totalRounds();
        Map<String, Number> m = new LinkedHashMap<>();
        long maxRounds = 0;
        for (int p = 0; p < 3; p++) {
            if (all[p] == null) continue;
            m.put("bytes_P" + p, all[p][0]);
            maxRounds = Math.max(maxRounds, all[p][1]);
        }
        m.put("rounds", maxRounds);
        for (int p = 0; p < 3; p++) if (all[p] != null) m.put("peak_rss_mb_P" + p, ProcessMemory.mb(all[p][2]));
        for (int p = 0; p < 3; p++) if (all[p] != null) m.put("rss_mb_P" + p, ProcessMemory.mb(all[p][3]));
        return m;
    }
}
