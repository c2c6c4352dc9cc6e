package io.securenn.testutil;

import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Element-wise comparison of long vectors that reports the first mismatch (with the seed) and stays fast. */
public final class Check {
    private Check() {}

    public static void equal(Seeded s, long[] expected, long[] got, IntFunction<String> describe) {
        assertThat(got).as(s.msg("result length")).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != got[i]) {
                fail(s.msg("element " + i + " (" + describe.apply(i) + "): expected " + expected[i] + " but got "
                        + got[i]));
            }
        }
    }
}
