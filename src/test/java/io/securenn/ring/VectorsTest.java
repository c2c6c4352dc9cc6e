package io.securenn.ring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which kernel form runs where: the 512-bit one on 64 byte lanes, the 256-bit one on 32 lanes where it was measured
 * faster, else the scalar one (the forms' outputs are cross-checked by each kernel's own test).
 */
class VectorsTest {
    @Test
    void pickFollowsTheHardwareAndTheMeasurement() {
        assertThat(Vectors.pick(64, true)).isEqualTo(Vectors.Form.V512);
        assertThat(Vectors.pick(64, false)).isEqualTo(Vectors.Form.V512);
        assertThat(Vectors.pick(32, true)).isEqualTo(Vectors.Form.V256);
        assertThat(Vectors.pick(32, false)).isEqualTo(Vectors.Form.SCALAR);
        assertThat(Vectors.pick(16, true)).isEqualTo(Vectors.Form.SCALAR);
        assertThat(Vectors.pick(0, true)).isEqualTo(Vectors.Form.SCALAR);
    }

    @Test
    void theKernelsFormsAreThisJvmsPick() {
        Vectors.Form want = Vectors.pick(Vectors.BYTE_LANES, true);
        assertThat(ZpKernels.FORM).isEqualTo(want);
        assertThat(io.securenn.protocol.privatecompare.MaskedShares.FORM).isEqualTo(want);
        assertThat(Vectors.BYTE_512).isEqualTo(Vectors.BYTE_LANES >= 64);
        assertThat(Vectors.BYTE_256).isEqualTo(Vectors.BYTE_LANES >= 32);
    }
}
