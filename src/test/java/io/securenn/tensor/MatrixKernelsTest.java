package io.securenn.tensor;

import io.securenn.testutil.Seeded;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class MatrixKernelsTest {

    @ParameterizedTest
    @CsvSource({"1,1,1", "4,3,8", "5,7,16", "7,1,17", "9,33,31", "16,100,64", "3,5,9", "128,17,10", "13,64,100", "4,2,12",
            "6,130,12", "20,784,128", "17,300,100", "5,129,9", "4100,25,5", "9,25,1", "7,4,3", "13,9,7",
            "5,3,6", "2,8,2", "1,784,128", "3,5,2"})
    void vectorScalarNarrowAndNaiveKernelsAgree(int m, int n, int v) {
        Seeded s = Seeded.fromEnvOr(m * 1000L + n * 10L + v);
        long[] a = s.longs(m * n), b = s.longs(n * v);
        a[0] = -1; b[0] = Long.MIN_VALUE;   // wrapping products
        long[] naive = MatrixOps.multiplyNaive(a, b, m, n, v);
        long[] scalar = new long[m * v], vector = new long[m * v], narrow = new long[m * v];
        MatrixOps.multiplyAddNarrow(a, b, narrow, m, n, v);
        assertThat(narrow).as(s.msg("narrow")).containsExactly(naive);
        MatrixOps.multiplyAddScalar(a, b, scalar, m, n, v);
        MatrixOps.multiplyAddVector(a, b, vector, m, n, v);
        assertThat(scalar).as(s.msg("scalar")).containsExactly(naive);
        assertThat(vector).as(s.msg("vector")).containsExactly(naive);
        assertThat(MatrixOps.multiply(a, b, m, n, v)).as(s.msg("dispatch")).containsExactly(naive);
    }
}
