package io.securenn.protocol.matmul;

import io.securenn.tensor.ConvGeometry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The paper's formula (one MatMul of the patch matrix) reproduces the whitepaper's Table 8 communication for the
 * linear layers; our convolution opens the masked input instead of its patches where that is smaller (issue 15).
 */
class PaperCostTest {
    static long paperConv(ConvGeometry g, int d) {
        return MatMul.bytes(g.rows(), g.cols(), d);
    }

    @Test
    void table8LinearRows() {
        ConvGeometry c1 = new ConvGeometry(1, 1, 28, 28, 5, 1, 0), c2 = new ConvGeometry(1, 1, 28, 28, 3, 1, 0);
        ConvGeometry c3 = new ConvGeometry(1, 16, 8, 8, 5, 1, 0);
        assertThat(paperConv(c1, 20)).isEqualTo(330_560);   // 0.33 MB
        assertThat(paperConv(c2, 20)).isEqualTo(208_384);   // 0.2 MB
        assertThat(paperConv(c3, 50)).isEqualTo(428_800);   // 0.42 (m = input width)
        assertThat(MatMul.bytes(784, 128, 10)).isEqualTo(1_688_832);   // 1.69 MB
        assertThat(MatMul.bytes(1, 500, 100)).isEqualTo(808_800);   // 0.81 MB
        assertThat(MatMul.bytes(1, 100, 1)).isEqualTo(3_208);   // 0.0032 MB
        // ours: E at the input's size, (2·784 + 2·25·20 + 576·20)·8 and alike
        assertThat(Convolution.bytes(c1, 20)).isEqualTo((2L * 784 + 2 * 25 * 20 + 576 * 20) * 8).isEqualTo(112_704);
        assertThat(Convolution.bytes(c2, 20)).isEqualTo((2L * 784 + 2 * 9 * 20 + 676 * 20) * 8);
        assertThat(Convolution.bytes(c3, 50)).isEqualTo((2L * 1024 + 2 * 400 * 50 + 16 * 50) * 8);
        // a 1×1 kernel at stride 2 reads a quarter of its input: the patches are smaller, and are opened
        ConvGeometry down = new ConvGeometry(1, 256, 56, 56, 1, 2, 0);
        assertThat(Convolution.opensInput(down)).isFalse();
        assertThat(Convolution.bytes(down, 512)).isEqualTo(paperConv(down, 512));
    }
}
