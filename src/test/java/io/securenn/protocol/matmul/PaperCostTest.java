package io.securenn.protocol.matmul;

import io.securenn.tensor.ConvGeometry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Our byte formulas reproduce the whitepaper's Table 8 communication for the linear layers. */
class PaperCostTest {
    @Test
    void table8LinearRows() {
        assertThat(Convolution.bytes(new ConvGeometry(1, 1, 28, 28, 5, 1, 0), 20)).isEqualTo(330_560);   // 0.33 MB
        assertThat(Convolution.bytes(new ConvGeometry(1, 1, 28, 28, 3, 1, 0), 20)).isEqualTo(208_384);   // 0.2 MB
        assertThat(Convolution.bytes(new ConvGeometry(1, 16, 8, 8, 5, 1, 0), 50)).isEqualTo(428_800);   // 0.42 (m = input width)
        assertThat(MatMul.bytes(784, 128, 10)).isEqualTo(1_688_832);   // 1.69 MB
        assertThat(MatMul.bytes(1, 500, 100)).isEqualTo(808_800);   // 0.81 MB
        assertThat(MatMul.bytes(1, 100, 1)).isEqualTo(3_208);   // 0.0032 MB
    }
}
