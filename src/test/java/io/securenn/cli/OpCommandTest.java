package io.securenn.cli;

import io.securenn.SecureNnException;
import io.securenn.protocol.matmul.MatMul;
import io.securenn.ring.FixedPoint;
import io.securenn.tensor.MatrixOps;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(120)
class OpCommandTest {

    @TempDir
    Path dir;

    private Path csv(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static String matrix(long[] v, int rows, int cols, boolean raw) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (j > 0) sb.append(j % 2 == 0 ? "," : " , "); // spaces around values are allowed
                long x = v[i * cols + j];
                sb.append(raw ? Long.toString(x) : FixedPoint.toExactDecimal(x));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static long[] readResult(Path p, boolean raw) throws IOException {
        List<String> lines = Files.readAllLines(p);
        return lines.stream().flatMap(l -> java.util.Arrays.stream(l.split(",")))
                .mapToLong(s -> raw ? Long.parseLong(s) : FixedPoint.parseExact(s)).toArray();
    }

    private static long json(String json, String path) {
        Matcher m = Pattern.compile(path).matcher(json);
        if (!m.find()) throw new AssertionError("no " + path + " in " + json);
        return Long.parseLong(m.group(1));
    }

    @Test
    void fixedPointMatmulMatchesPlaintextAndCostsTheFormula() throws IOException {
        Seeded s = Seeded.fromEnvOr(31);
        int m = 5, n = 7, v = 3;
        long[] a = s.fixed(m * n, 100), b = s.fixed(n * v, 100);
        long[] edges = {0, 1, -1, 8192, -8192, 3 << 13, -(5L << 13)}; // 0, ±2^-13, ±1, 3, -5
        System.arraycopy(edges, 0, a, 0, edges.length);
        System.arraycopy(edges, 0, b, 0, edges.length);
        Path out = dir.resolve("R.csv"), js = dir.resolve("r.json");
        CliRun r = CliRun.of("op", "matmul", "--in", csv("A.csv", matrix(a, m, n, false)).toString(),
                "--in2", csv("B.csv", matrix(b, n, v, false)).toString(), "--out", out.toString(),
                "--json", js.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        long[] got = readResult(out, false);
        long[] raw = MatrixOps.multiplyNaive(a, b, m, n, v);
        assertThat(got).hasSize(m * v);
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i] - Math.floorDiv(raw[i], 8192)).as(s.msg("element " + i)).isBetween(0L, 1L);
        }
        String j = Files.readString(js);
        assertThat(j).contains("\"op\": \"matmul\"").contains("\"elements\": " + m * v);
        long total = json(j, "\"bytes\": \\{\"P0\": (\\d+)") + json(j, "\"bytes\": \\{[^}]*\"P1\": (\\d+)")
                + json(j, "\"bytes\": \\{[^}]*\"P2\": (\\d+)");
        assertThat(total).isEqualTo(MatMul.bytes(m, n, v));
        assertThat(json(j, "\"bytes\": \\{[^}]*\"P2\": (\\d+)")).isEqualTo(8L * m * v);
        assertThat(json(j, "\"rounds\": (\\d+)")).isEqualTo(1);
        // sharing costs nothing (P1's shares come from the common stream); P0 sends the shapes (2 x 2 longs) to
        // P1 and P2; revealing: P1 sends its m*v shares to P0
        assertThat(json(j, "\"io_bytes\": \\{\"P0\": (\\d+)")).isEqualTo(2 * 4 * 8);
        assertThat(json(j, "\"io_bytes\": \\{[^}]*\"P1\": (\\d+)")).isEqualTo(8L * m * v);
        assertThat(json(j, "\"io_bytes\": \\{[^}]*\"P2\": (\\d+)")).isZero();
        assertThat(r.out()).contains("documented cost: " + MatMul.bytes(m, n, v) + " bytes (matches)")
                .contains("protocol time:");
    }

    @Test
    void rawMulIsTheExactRingProductIncludingWrapAround() throws IOException {
        Seeded s = Seeded.fromEnvOr(77);
        long[] x = s.longs(12), y = s.longs(12);
        long[] edges = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32};
        System.arraycopy(edges, 0, x, 0, edges.length);
        System.arraycopy(new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1, 2, -1, 1L << 32}, 0, y, 0, 6);
        Path out = dir.resolve("R.csv");
        CliRun r = CliRun.of("op", "mul", "--raw", "--in", csv("x.csv", matrix(x, 12, 1, true)).toString(),
                "--in2", csv("y.csv", matrix(y, 12, 1, true)).toString(), "--out", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(readResult(out, true)).as(s.msg("mul --raw")).containsExactly(MatrixOps.hadamard(x, y));
        assertThat(r.out()).contains("documented cost: " + MatMul.hadamardBytes(12) + " bytes (matches)");
    }

    @Test
    void fixedPointMulOfEdgeValues() throws IOException {
        // 2^-13 * 1, -1 * -1, 0 * big, a product just below the warning threshold 2^14, a negative product
        String xs = "0.0001220703125\n-1\n0\n127.75\n-3.5\n";
        String ys = "1\n-1\n123456.75\n-127.5\n2.25\n";
        Path out = dir.resolve("R.csv");
        CliRun r = CliRun.of("op", "mul", "--in", csv("x.csv", xs).toString(), "--in2", csv("y.csv", ys).toString(),
                "--out", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        long[] got = readResult(out, false);
        String[] a = xs.split("\n"), b = ys.split("\n");
        for (int i = 0; i < a.length; i++) {
            long exact = Math.floorDiv(FixedPoint.parseExact(a[i]) * FixedPoint.parseExact(b[i]), 8192);
            assertThat(got[i] - exact).as("element " + i).isBetween(0L, 1L);
        }
    }

    @Test
    void resultsWhereTruncationIsUnreliableGetAWarning() throws IOException {
        // 262143.5^2 is just below 2^36: it cannot wrap, but local truncation fails about every other time
        Path x = csv("x.csv", "262143.5\n1\n"), out = dir.resolve("R.csv");
        CliRun r = CliRun.of("op", "mul", "--in", x.toString(), "--in2", x.toString(), "--out", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.errorLine()).isEqualTo("securenn: warning: results reach 2^35: local truncation of the shares "
                + "gives a wildly wrong value with probability about 2^-1 per element (keep results below 2^14)");
        CliRun small = CliRun.of("op", "mul", "--in", csv("s.csv", "127.75\n").toString(), "--in2",
                csv("t.csv", "127.75\n").toString(), "--out", out.toString());
        assertThat(small.err()).isEmpty();
    }

    @Test
    void badInputsGiveOneErrorLine() throws IOException {
        Path good = csv("good.csv", "1,2\n3,4\n");
        Path out = dir.resolve("R.csv");
        record Case(String file, String content, String op, String expect, SecureNnException.Kind kind) {}
        List<Case> cases = List.of(
                new Case("nan.csv", "1,2\n3,x\n", "mul", "line 2, column 2: not a number: 'x'", SecureNnException.Kind.BAD_INPUT),
                new Case("ragged.csv", "1,2\n3\n", "mul", "line 2 has 1 value where the rows above have 2", SecureNnException.Kind.BAD_INPUT),
                new Case("shape.csv", "1,2,3\n4,5,6\n", "mul", "mul needs two inputs of the same shape, got 2x3 and 2x2", SecureNnException.Kind.BAD_INPUT),
                new Case("mm.csv", "1,2,3\n4,5,6\n7,8,9\n", "matmul", "columns of A to match the rows of B, got 3x3 times 2x2", SecureNnException.Kind.BAD_INPUT),
                new Case("range.csv", "1,2\n3,1e15\n", "mul", "line 2, column 2: value out of the fixed-point range", SecureNnException.Kind.BAD_INPUT),
                new Case("product.csv", "1,2\n3,30000000000\n", "mul", "the product at row 2, column 2 is out of the fixed-point range", SecureNnException.Kind.BAD_INPUT),
                new Case("empty.csv", "\n\n", "mul", "holds no values", SecureNnException.Kind.BAD_INPUT),
                new Case("gap.csv", "1,2\n\n3,4\n", "mul", "line 2 is empty", SecureNnException.Kind.BAD_INPUT),
                new Case("trailing.csv", "1,2,\n3,4,\n", "mul", "line 1, column 3: empty value", SecureNnException.Kind.BAD_INPUT));
        for (Case c : cases) {
            Path f = csv(c.file(), c.content());
            CliRun r = CliRun.of("op", c.op(), "--in", f.toString(), "--in2", good.toString(), "--out", out.toString());
            assertThat(r.exit()).as(c.file() + ": " + r).isEqualTo(c.kind().exitCode);
            assertThat(r.errorLine()).as(c.file()).startsWith("securenn: error: ").contains(c.expect());
        }
        // each product fits, their sum does not (checked exactly, with 128-bit sums); with opposite signs it does
        Path row = csv("row.csv", "200000,200000\n"), col = csv("col.csv", "200000\n200000\n");
        assertThat(CliRun.of("op", "matmul", "--in", row.toString(), "--in2", col.toString(), "--out", out.toString())
                .errorLine()).contains("row 1, column 1 of the result is out of the fixed-point range");
        Path rowNeg = csv("rowneg.csv", "200000,-200000\n");
        Path out2 = dir.resolve("R2.csv");
        assertThat(CliRun.of("op", "matmul", "--in", rowNeg.toString(), "--in2", col.toString(), "--out", out2.toString())
                .exit()).isZero();
        assertThat(Files.readString(out2)).isEqualTo("0\n");
        CliRun raw = CliRun.of("op", "mul", "--raw", "--in", csv("big.csv", "9223372036854775808\n").toString(),
                "--in2", csv("one.csv", "1\n").toString(), "--out", out.toString());
        assertThat(raw.errorLine()).contains("line 1, column 1: value out of the signed 64-bit range");
        CliRun missing = CliRun.of("op", "mul", "--in", dir.resolve("nope.csv").toString(), "--in2", good.toString(),
                "--out", out.toString());
        assertThat(missing.errorLine()).contains("cannot read").contains("nope.csv: no such file or directory");
        assertThat(out).doesNotExist();
    }

    @Test
    void usageErrors() throws IOException {
        Path a = csv("a.csv", "1\n");
        assertThat(CliRun.of("op", "frobnicate", "--in", a.toString(), "--in2", a.toString(), "--out", "x").errorLine())
                .isEqualTo("securenn: error: unknown operation 'frobnicate' (known: mul, matmul, relu, drelu, msb, shareconvert, privatecompare, maxpool, argmax, "
                        + "dmaxpool, div)");
        CliRun r = CliRun.of("op", "mul", "--party", "1", "--in", a.toString());
        assertThat(r.exit()).isEqualTo(SecureNnException.Kind.USAGE.exitCode);
        assertThat(r.errorLine()).isEqualTo("securenn: error: --party needs --config FILE");
        assertThat(CliRun.of("op", "mul", "--party", "3", "--config", "c").errorLine())
                .isEqualTo("securenn: error: unknown party id 3 (parties are 0, 1 and 2)");
        assertThat(CliRun.of("op", "mul", "--window", "2", "--in", a.toString(), "--in2", a.toString(), "--out",
                dir.resolve("o").toString()).errorLine()).isEqualTo("securenn: error: --window is not used by mul");
        assertThat(CliRun.of("op", "matmul", "--in", a.toString(), "--out", "x").errorLine())
                .isEqualTo("securenn: error: matmul needs a second input: --in2 FILE");
        assertThat(CliRun.of("op", "mul", "--idle-timeout", "soon").errorLine())
                .startsWith("securenn: error: ").contains("'soon' is not a duration");
    }

    @Test
    void helpSaysTheProbeIsForPublicInputsAndListsTheOperations() {
        CliRun r = CliRun.of("op", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("PUBLIC TEST INPUTS").contains("  mul ").contains("  matmul ");
    }
}
