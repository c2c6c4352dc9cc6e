package io.securenn.nn;

import io.securenn.tensor.ConvGeometry;

import java.util.List;
import java.util.Map;

/**
 * The arithmetic the layers are written against. The same layer, network and training code runs on the plaintext
 * fixed-point twin ({@link PlainFixedBackend}), the float64 reference ({@link FloatBackend}) or a secure backend
 * whose handles are additive shares held by P0 and P1. Values are opaque handles {@code V}: layer code never
 * looks inside one; it only passes handles and shapes to these operations.
 *
 * <p>Every value is a flat vector in one of two {@link Encoding}s: FIXED (fixed point, 13 fractional bits:
 * activations, weights, gradients) or INTEGER (bits 0/1 and indices, spec correction 2). Each operation says
 * which encodings it takes. Matrices are row-major; activations are NCHW.
 *
 * <p>Operations marked <i>local</i> need no communication in the secure backend; the others are one protocol call
 * on the whole vector (rounds do not grow with its length). Results are always new handles; inputs are never
 * modified.
 */
public interface Backend<V> {

    /** How a value is encoded: fixed point with 13 fractional bits, or an integer (bits, indices). */
    enum Encoding { FIXED, INTEGER }

    /**
     * One matrix product op(X)·op(Y) of FIXED matrices (each optionally transposed on the fly), truncated by
     * 13 + {@code extraShift} bits in ONE truncation, i.e. (X·Y)·2^-extraShift (spec correction 9: SGD applies
     * the learning rate and 1/batch in the same truncation as the product's own 13 bits).
     * Shapes are those of the operands as used: op(X) is m×n, op(Y) is n×v, where op(X) = X^T when
     * {@code transposeX} (then X itself is stored n×m).
     *
     * <p>{@code weightY}: Y is the calling layer's weight parameter, untransposed (a forward pass's Gemm). A secure
     * backend in a session that masks weights once ({@link #stationaryWeights}) masks such a Y once for the session
     * instead of per call; other backends ignore it, and it never changes a result.
     */
    record Product<V>(V x, V y, int m, int n, int v, boolean transposeX, boolean transposeY, int extraShift,
                      boolean weightY) {
        public Product {
            if (m <= 0 || n <= 0 || v <= 0 || extraShift < 0) {
                throw new IllegalArgumentException("bad product shape " + m + "x" + n + "x" + v + " shift " + extraShift);
            }
            if (weightY && transposeY) throw new IllegalArgumentException("a weight operand is used untransposed");
        }

        /** A product whose Y is not a layer's weight (as far as the caller says). */
        public Product(V x, V y, int m, int n, int v, boolean transposeX, boolean transposeY, int extraShift) {
            this(x, y, m, n, v, transposeX, transposeY, extraShift, false);
        }

        public static <V> Product<V> of(V x, V y, int m, int n, int v) {
            return new Product<>(x, y, m, n, v, false, false, 0, false);
        }

        /** X·W where W is the calling layer's weight parameter ({@code weightY}). */
        public static <V> Product<V> ofWeight(V x, V w, int m, int n, int v) {
            return new Product<>(x, w, m, n, v, false, false, 0, true);
        }
    }

    /** ReLU output (FIXED) and the DReLU bits (INTEGER 0/1) kept for the backward pass. */
    record ReluResult<V>(V value, V bits) {}

    /** Maximum of each window (FIXED) and its 0-based index within the window (INTEGER; ties keep the earlier). */
    record MaxResult<V>(V max, V index) {}

    // ---- entry and exit ------------------------------------------------------------------------------------

    /**
     * Values of the data owner (images FIXED, labels INTEGER or FIXED), shared to the servers. All parties make the
     * same call (SPMD); where a party does not hold the values it passes a placeholder of the right length whose
     * contents are ignored. A secure backend's handle must therefore carry its length (P2 holds no share).
     */
    V importData(long[] values, Encoding encoding);

    /**
     * Public bytes that P0 (the model owner's and input owner's proxy) holds, delivered to every party: the model
     * graph, the number of rows of an input. P0 passes them, the other parties null; all get P0's bytes back.
     * In plaintext there is one party: the bytes come back as they are.
     */
    default byte[] publicFromOwner(byte[] bytes) {
        if (bytes == null) throw new IllegalArgumentException("the owner's public bytes are missing");
        return bytes;
    }

    /** Weights of the model owner (FIXED), shared to the servers; placeholders elsewhere, as for importData. */
    V importModel(long[] fixed);

    /**
     * Says that this session will run several forward passes (batches) with the model's weights unchanged: an
     * inference job of more than one batch, a server's session. Call it before the model is imported, at every
     * party alike, with the model's parameter count (public). A secure backend then masks each weight operand of a
     * product once for the session if its session parameters' budget allows (docs/PROTOCOLS.md, "Stationary
     * weight masks": {@code SessionParams.masksWeightsOnce}); results are unchanged, later batches send fewer bytes.
     * Never for training, whose weights change. Returns whether the backend does so (default: no).
     */
    default boolean stationaryWeights(long parameters) {
        return false;
    }

    /**
     * As {@link #importModel(long[])} for a weight tensor of this length that the owner can produce again whenever
     * asked ({@code fixed}: read from its file; placeholders elsewhere): a backend may keep only what makes its share
     * again (the secure one: a PRG seed, and at the owner the tensor read anew) instead of the share itself. The
     * values are those of {@code importModel(fixed.get())}. Default: exactly that.
     */
    default V importModel(int length, java.util.function.Supplier<long[]> fixed) {
        return importModel(fixed.get());
    }

    /**
     * Reveals v to the output party (the model owner; P0 acts as its proxy). Only aggregates (loss and
     * accuracy sums), predicted classes and the trained model are ever revealed. Returns null at a party that
     * does not learn the value.
     */
    long[] reveal(V v, Encoding encoding);

    /** Number of elements of v. */
    int length(V v);

    // ---- local linear operations -------------------------------------------------------------------------

    V add(V a, V b);

    V sub(V a, V b);

    V neg(V a);

    /** matrix (rows×cols) + row (cols) broadcast over the rows: the bias of FC and Conv2d layers. */
    V addRowVector(V matrix, V row, int rows, int cols);

    /** a + c for a public fixed-point constant c (e.g. ASM's ε = 2^-13). */
    V addPublicFixed(V a, double c);

    /**
     * a ⊙ c for public real constants c (one per element of a): the 1/k of an average, a public scale. Local:
     * the fixed-point backends multiply by the integers round(c·2^s) with {@link PublicScale#bits s} extra
     * fractional bits and truncate once by s; the float reference multiplies exactly.
     */
    V mulPublic(V a, double[] c);

    /** INTEGER bits (0/1) to FIXED (1 → 1.0): a local multiplication by 2^13 in the fixed-point encodings. */
    V integerToFixed(V a);

    /** a · 2^-k by local truncation of FIXED values (fixed point: k bits dropped, as shares do). */
    V truncate(V a, int k);

    /** Column sums of a rows×cols matrix (result: cols). */
    V sumColumns(V matrix, int rows, int cols);

    /** Row sums of a rows×cols matrix (result: rows). */
    V sumRows(V matrix, int rows, int cols);

    /** out[i] = a[index[i]], or 0 where index[i] < 0 (windows, repetition, reordering). */
    V gather(V a, int[] index);

    /** The adjoint of {@link #gather}: out (outLength) with out[index[i]] += a[i] for index[i] ≥ 0. */
    V scatterAdd(V a, int[] index, int outLength);

    /** Concatenation of the vectors, in order. */
    V concat(List<V> parts);

    /** im2col of an NCHW input (spec correction 9: rows (b, y, x), columns (c, ky, kx)). */
    V im2col(V x, ConvGeometry g);

    /**
     * A convolution's product im2col(x)·W as fixed point (rows (b, y, x) × outChannels, truncated by 13 bits): the
     * value of {@code matmul(Product.of(im2col(x, g), w, g.rows(), g.cols(), outChannels))}, which is the default.
     * A backend may compute it without forming im2col(x) (the secure one opens masked values at the input's size
     * when that is smaller: protocol.matmul.Convolution). {@code w} is the calling layer's kernel, a weight parameter
     * as a {@link Product#weightY} is.
     */
    default V convolve(V x, ConvGeometry g, V w, int outChannels) {
        return matmul(Product.of(im2col(x, g), w, g.rows(), g.cols(), outChannels));
    }

    /** The adjoint of im2col (scatter-add of every row onto its patch). */
    V col2im(V cols, ConvGeometry g);

    /** (batch·p·q)×d rows to NCHW (batch, d, p, q). */
    V rowsToNchw(V rows, int batch, int p, int q, int d);

    /** NCHW (batch, d, p, q) to (batch·p·q)×d rows. */
    V nchwToRows(V nchw, int batch, int p, int q, int d);

    // ---- interactive operations ----------------------------------------------------------------------------

    /** Several independent products in one call (one round in the secure backend). */
    List<V> matmul(List<Product<V>> products);

    default V matmul(Product<V> p) {
        return matmul(List.of(p)).get(0);
    }

    /** Element-wise product of FIXED values, truncated by 13. */
    V mulFixed(V a, V b);

    /** Element-wise product of INTEGER bits and a value of either encoding, exact (no truncation; correction 2). */
    V mulBits(V bits, V x);

    /** ReLU of FIXED values with the DReLU bits (DReLU(0) = 1). */
    ReluResult<V> relu(V x);

    /** DReLU bits (1 iff x ≥ 0) of FIXED or INTEGER values. */
    V drelu(V x);

    /**
     * Max and argmax of {@code count} windows of {@code n} contiguous values (window w is x[w·n .. w·n+n-1]).
     * Ties keep the earlier index. Whether the secure backend compares sequentially or as a tournament is its
     * business; the result is the same.
     */
    MaxResult<V> max(V x, int count, int n);

    /**
     * The index alone of each window's maximum (INTEGER, ties keep the earlier index), e.g. the output layer's
     * argmax. A backend may compute it in fewer rounds than {@link #max} (the secure one compares all pairs at once).
     */
    default V argmax(V x, int count, int n) {
        return max(x, count, n).index();
    }

    /** DMP: the one-hot vectors (INTEGER, count × n) of window indices from {@link #max}. */
    V oneHot(V index, int count, int n);

    /**
     * Division of FIXED values x / y, element-wise, as SecureNN's Π_Div version B (spec correction 5): long
     * division with 14 quotient bits of x·2^13 by y, so q = floor(x·2^13 / y) when 0 ≤ x·2^13 < 2^14·y.
     * Outside that domain every comparison that succeeds sets its bit: y = 0 with x ≥ 0 gives q = 2^14 − 1
     * (1.99988), and x ≥ 2y saturates to the same value.
     */
    V divide(V x, V y);

    // ---- state kept outside a run -----------------------------------------------------------------------------

    /**
     * How this party's own part of a value becomes ring elements and back: what a checkpoint or a share file holds
     * (a secure backend's share, none at P2; the twin's value itself). Loading gives a value equal to the one
     * exported, with no communication.
     */
    interface ShareCodec<V> {
        /** This party's part of the value (empty at a party that holds none). */
        long[] export(V value);

        /** The value of {@code length} elements from this party's stored part. */
        V load(long[] stored, int length);
    }

    /** This backend's {@link ShareCodec}, or null where values cannot be kept (the float64 reference). */
    default ShareCodec<V> shareCodec() {
        return null;
    }

    // ---- accounting -----------------------------------------------------------------------------------------

    /**
     * Counters since the previous call (then reset): the twin's truncation statistics, a secure backend's bytes.
     * Keys are snake_case; values are numbers. Used for per-epoch metrics.
     */
    default Map<String, Number> takeCounters() {
        return Map.of();
    }
}
