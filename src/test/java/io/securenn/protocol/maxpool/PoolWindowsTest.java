package io.securenn.protocol.maxpool;

import io.securenn.SecureNnException;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoolWindowsTest {

    @ParameterizedTest
    @CsvSource({"2,3,8,8,2,2", "1,1,5,7,3,1", "2,2,9,9,3,2", "1,4,6,6,1,1", "1,1,4,4,4,4", "3,1,7,5,2,3"})
    void extractMatchesNaiveIndexingAndScatterIsItsAdjoint(int b, int c, int h, int w, int k, int stride) {
        Seeded s = Seeded.fromEnvOr(960 + h * 10L + k);
        PoolWindows g = new PoolWindows(b, c, h, w, k, stride);
        long[] x = s.longs(g.inputSize());
        long[] rows = g.extract(x);
        int p = (h - k) / stride + 1, q = (w - k) / stride + 1;
        assertThat(g.count()).isEqualTo(b * c * p * q);
        int row = 0;
        for (int bi = 0; bi < b; bi++)
            for (int ci = 0; ci < c; ci++)
                for (int oy = 0; oy < p; oy++)
                    for (int ox = 0; ox < q; ox++, row++)
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++)
                                assertThat(rows[row * k * k + ky * k + kx]).isEqualTo(
                                        x[((bi * c + ci) * h + oy * stride + ky) * w + ox * stride + kx]);
        // adjoint: <extract(x), r> = <x, scatter(r)>
        long[] r = s.longs(rows.length);
        long lhs = 0, rhs = 0;
        for (int i = 0; i < rows.length; i++) lhs += rows[i] * r[i];
        long[] back = g.scatter(r);
        for (int i = 0; i < x.length; i++) rhs += x[i] * back[i];
        assertThat(lhs).isEqualTo(rhs);
    }

    @Test
    void badGeometryIsAOneLineError() {
        assertThatThrownBy(() -> new PoolWindows(1, 1, 3, 3, 4, 1)).isInstanceOf(SecureNnException.class)
                .hasMessageContaining("larger than");
        assertThatThrownBy(() -> new PoolWindows(1, 1, 3, 3, 2, 0)).isInstanceOf(SecureNnException.class);
    }
}
