package io.securenn.bench;

import io.securenn.protocol.division.Division;
import io.securenn.protocol.dmaxpool.DMaxPool;
import io.securenn.protocol.drelu.DReLU;
import io.securenn.protocol.matmul.Convolution;
import io.securenn.protocol.matmul.MatMul;
import io.securenn.tensor.ConvGeometry;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.protocol.relu.ReLU;
import io.securenn.runtime.SessionParams;

import java.util.List;

/**
 * Bytes (all parties together) and rounds of each interactive operation a layer can call, from one of two
 * sources: the formulas our protocols publish and their tests assert ({@link #implemented}), or the per-element
 * costs of the whitepaper's Tables 1–2 as gathered in spec §2 ({@link #PAPER}).
 */
public interface Formulas {

    /** Bytes and rounds of one call. */
    record Cost(long bytes, long rounds) {
        public static final Cost ZERO = new Cost(0, 0);

        public Cost plus(Cost o) {
            return new Cost(bytes + o.bytes, rounds + o.rounds);
        }

        /** Two parties' costs of one scope as one: their bytes add up, the rounds are the longer chain. */
        public Cost besides(Cost o) {
            return new Cost(bytes + o.bytes, Math.max(rounds, o.rounds));
        }
    }

    String name();

    /** Several matrix products m×n·n×v in one call ({m, n, v} each). */
    Cost matmul(List<int[]> shapes);

    /** Element-wise product of len values (bit × value or fixed × fixed). */
    Cost hadamard(int len);

    /** A convolution's product im2col(X)·W (the paper: one MatMul of the patch matrix). */
    default Cost convolution(ConvGeometry g, int outChannels) {
        return matmul(List.<int[]>of(new int[] {g.rows(), g.cols(), outChannels}));
    }

    /**
     * Several products m×n·n×v in one call whose Y operands are stationary weights, masked once per session
     * (docs/PROTOCOLS.md, "Stationary weight masks"): F travels only when {@code opensF} (the session's first batch).
     * Default: as {@link #matmul} (a source without that form).
     */
    default Cost matmulStationary(List<int[]> shapes, boolean opensF) {
        return matmul(shapes);
    }

    /** A convolution whose kernel is a stationary weight ({@link #matmulStationary}). Default: {@link #convolution}. */
    default Cost convolutionStationary(ConvGeometry g, int outChannels, boolean opensF) {
        return convolution(g, outChannels);
    }

    Cost relu(int n);

    Cost drelu(int n);

    /** Max and argmax of count windows of n values. */
    Cost maxPool(int count, int n);

    /** The index alone of the maximum of count windows of n values (the output layer's argmax). */
    Cost argmax(int count, int n);

    /** DMP one-hot vectors of count windows of n values. */
    Cost oneHot(int count, int n);

    Cost division(int n);

    /** Reconstruction of n values towards one party: the other share holder sends its n shares. */
    default Cost reveal(int n) {
        return new Cost(8L * n, 1);
    }

    /**
     * Our protocols' published formulas (as their tests assert), with the MaxPool form and the session parameters
     * of the run (its DReLU form and Z_67 wire format).
     */
    static Formulas implemented(MaxPool.Form form, SessionParams session) {
        return new Formulas() {
            public String name() {
                return "implemented";
            }

            public Cost matmul(List<int[]> shapes) {
                long b = 0;
                for (int[] s : shapes) b += MatMul.bytes(s[0], s[1], s[2]);
                return new Cost(b, MatMul.rounds());
            }

            public Cost hadamard(int len) {
                return new Cost(MatMul.hadamardBytes(len), MatMul.rounds());
            }

            public Cost convolution(ConvGeometry g, int outChannels) {
                return new Cost(Convolution.bytes(g, outChannels), Convolution.rounds());
            }

            public Cost matmulStationary(List<int[]> shapes, boolean opensF) {
                long b = 0;
                for (int[] s : shapes) b += MatMul.bytes(s[0], s[1], s[2], opensF);
                return new Cost(b, MatMul.rounds());
            }

            public Cost convolutionStationary(ConvGeometry g, int outChannels, boolean opensF) {
                return new Cost(Convolution.bytes(g, outChannels, opensF), Convolution.rounds());
            }

            public Cost relu(int n) {
                return new Cost(ReLU.bytes(session, n), ReLU.rounds(session));
            }

            public Cost drelu(int n) {
                return new Cost(DReLU.bytes(session, n), DReLU.rounds(session));
            }

            public Cost maxPool(int count, int n) {
                return new Cost(MaxPool.bytes(session, count, n, form), MaxPool.rounds(session, n, form));
            }

            public Cost argmax(int count, int n) {
                return new Cost(MaxPool.argmaxBytes(session, count, n), MaxPool.argmaxRounds(session, n));
            }

            public Cost oneHot(int count, int n) {
                return new Cost(DMaxPool.bytes(count, n), DMaxPool.rounds());
            }

            public Cost division(int n) {
                return new Cost(Division.bytes(session, n, Division.DEFAULT_QUOTIENT_BITS),
                        Division.rounds(session, Division.DEFAULT_QUOTIENT_BITS));
            }
        };
    }

    /**
     * The whitepaper's costs (spec §2, Tables 1–2, ℓ = 64 bits, Z_67 values as one byte each): MatMul 2 rounds
     * and (2mn + 2nv + mv)·8 B; DotProduct 2 rounds, 40 B; DReLU 8 rounds, 664 B; ReLU 10 rounds, 704 B;
     * MaxPool sequential, 9 rounds and 744 B per comparison; DMP 2 rounds, 2(n + 1)·8 B per window; Division
     * 10 rounds and 704 B per quotient bit (with our ℓ_D = 14: the paper does not state its ℓ_D).
     */
    Formulas PAPER = new Formulas() {
        public String name() {
            return "paper";
        }

        public Cost matmul(List<int[]> shapes) {
            long b = 0;
            for (int[] s : shapes) b += MatMul.bytes(s[0], s[1], s[2]);
            return new Cost(b, 2);
        }

        public Cost hadamard(int len) {
            return new Cost(40L * len, 2);
        }

        public Cost relu(int n) {
            return new Cost(704L * n, 10);
        }

        public Cost drelu(int n) {
            return new Cost(664L * n, 8);
        }

        public Cost maxPool(int count, int n) {
            return new Cost(744L * count * (n - 1), 9L * (n - 1));
        }

        public Cost argmax(int count, int n) {
            return maxPool(count, n);   // the paper's argmax is Π_MP's index
        }

        public Cost oneHot(int count, int n) {
            return new Cost(16L * (n + 1) * count, 2);
        }

        public Cost division(int n) {
            int bits = Division.DEFAULT_QUOTIENT_BITS;
            return new Cost(704L * n * bits, 10L * bits);
        }
    };
}
