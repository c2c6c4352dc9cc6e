package io.securenn.cli;

import io.securenn.runtime.SessionParams;
import io.securenn.SecureNnException;
import io.securenn.protocol.computemsb.ComputeMSB;
import io.securenn.protocol.division.Division;
import io.securenn.protocol.dmaxpool.DMaxPool;
import io.securenn.protocol.drelu.DReLU;
import io.securenn.protocol.maxpool.MaxPool;
import io.securenn.protocol.privatecompare.PrivateCompare;
import io.securenn.protocol.relu.ReLU;
import io.securenn.protocol.shareconvert.ShareConvert;
import io.securenn.ring.FixedPoint;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.securenn.ring.ZpWire.PACKED7;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The non-linear protocols through the probe's real command line ({@code Main.execute}, three parties in this JVM
 * over loopback TLS): results against plaintext on edge and random inputs, and the bytes and rounds each run
 * reports (printed and in --json) against the protocol's own static formulas.
 */
@Timeout(300)
class OpProtocolsTest {
    /** The session the command line builds without properties: the defaults (the masked DReLU). */
    static final SessionParams S = SessionParams.defaults();


    @TempDir
    Path dir;

    private int files;

    private static final long ULP = 1;                          // 2^-13 in fixed point
    private static final long ONE = FixedPoint.ONE;
    private static final long FIXED_MAX = (1L << 62) - 1;       // largest |raw| the fixed-point parser accepts

    /** One successful probe run: its result values as written, and its counts. */
    private record Run(CliRun cli, Path out, List<String> values, long bytes, long[] partyBytes, long rounds) {
        long[] longs() {
            return values.stream().mapToLong(Long::parseLong).toArray();
        }

        long[] fixed() {
            return values.stream().mapToLong(FixedPoint::parseExact).toArray();
        }
    }

    private Path write(long[] v, int cols, boolean raw) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(raw ? Long.toString(v[i]) : FixedPoint.toExactDecimal(v[i]));
            sb.append((i + 1) % cols == 0 ? "\n" : ",");
        }
        Path p = dir.resolve("in" + (files++) + ".csv");
        Files.writeString(p, sb.toString());
        return p;
    }

    private Path text(String content) throws IOException {
        Path p = dir.resolve("t" + (files++) + ".csv");
        Files.writeString(p, content);
        return p;
    }

    private static long json(String json, String regex) {
        Matcher m = Pattern.compile(regex).matcher(json);
        if (!m.find()) throw new AssertionError("no " + regex + " in " + json);
        return Long.parseLong(m.group(1));
    }

    /**
     * Runs {@code securenn op NAME --in X [--in2 Y] --out R --json J OPTIONS} and checks the counts against the
     * formula given: the JSON's bytes summed over the parties, its rounds, and the printed check line.
     */
    private Run run(String op, Path in, Path in2, long formulaBytes, int formulaRounds, String... options)
            throws IOException {
        Path out = dir.resolve("out" + (files++) + ".csv"), js = dir.resolve("cost" + (files++) + ".json");
        List<String> args = new ArrayList<>(List.of("op", op, "--in", in.toString()));
        if (in2 != null) args.addAll(List.of("--in2", in2.toString()));
        args.addAll(List.of("--out", out.toString(), "--json", js.toString()));
        args.addAll(List.of(options));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isZero();
        String j = Files.readString(js);
        assertThat(j).contains("\"op\": \"" + op + "\"");
        long[] pb = new long[3];
        for (int p = 0; p < 3; p++) pb[p] = json(j, "\"bytes\": \\{[^}]*\"P" + p + "\": (\\d+)");
        long rounds = json(j, "\"rounds\": (\\d+)");
        long total = pb[0] + pb[1] + pb[2];
        assertThat(total).as(op + " bytes against its formula: " + r).isEqualTo(formulaBytes);
        assertThat(rounds).as(op + " rounds against its formula: " + r).isEqualTo(formulaRounds);
        assertThat(r.out()).contains("documented cost: " + formulaBytes + " bytes (matches), " + formulaRounds
                + " round" + (formulaRounds == 1 ? "" : "s") + " (matches)");
        assertThat(r.out()).doesNotContain("DIFFERS");
        List<String> values = new ArrayList<>();
        for (String line : Files.readAllLines(out)) values.addAll(Arrays.asList(line.split(",")));
        assertThat(json(j, "\"elements\": (\\d+)")).isEqualTo(values.size());
        return new Run(r, out, values, total, pb, rounds);
    }

    private static long[] concat(long[] a, long[] b) {
        long[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    // ---- relu, drelu ----

    @Test
    void reluAndDreluMatchPlaintextOnEdgesAndRandomValues() throws IOException {
        Seeded s = Seeded.fromEnvOr(301);
        long[] edges = {0, ULP, -ULP, ONE, -ONE, 2 * ONE, -2 * ONE, ONE - ULP, -(ONE - ULP), FIXED_MAX, -FIXED_MAX,
                1L << 49, -(1L << 49)};
        long[] x = concat(edges, s.fixed(40, 1000));
        Path in = write(x, 1, false);
        int n = x.length;
        long[] relu = run("relu", in, null, ReLU.bytes(S, n), ReLU.rounds(S)).fixed();
        long[] drelu = run("drelu", in, null, DReLU.bytes(S, n), DReLU.rounds(S)).longs();
        for (int i = 0; i < n; i++) {
            assertThat(relu[i]).as(s.msg("relu of element " + i)).isEqualTo(Math.max(x[i], 0));
            assertThat(drelu[i]).as(s.msg("drelu of element " + i)).isEqualTo(x[i] >= 0 ? 1 : 0);
        }
        // raw: the whole domain |x| < 2^62, as a 4 x 5 matrix (the result keeps the shape)
        long lim = (1L << 62) - 1;
        long[] rx = concat(new long[] {0, 1, -1, 2, -2, lim, -lim, lim - 1, -(lim - 1), 1L << 61, -(1L << 61)},
                s.longs(9));
        for (int i = 11; i < rx.length; i++) rx[i] >>= 2; // random values inside the domain
        Path rin = write(rx, 5, true);
        Run rr = run("relu", rin, null, ReLU.bytes(S, 20), ReLU.rounds(S), "--raw");
        Run rd = run("drelu", rin, null, DReLU.bytes(S, 20), DReLU.rounds(S), "--raw");
        assertThat(Files.readAllLines(rr.out())).hasSize(4).allSatisfy(l -> assertThat(l.split(",")).hasSize(5));
        for (int i = 0; i < 20; i++) {
            assertThat(rr.longs()[i]).as(s.msg("relu --raw of element " + i)).isEqualTo(Math.max(rx[i], 0));
            assertThat(rd.longs()[i]).as(s.msg("drelu --raw of element " + i)).isEqualTo(rx[i] >= 0 ? 1 : 0);
        }
    }

    // ---- msb, shareconvert, privatecompare (raw by nature) ----

    @Test
    void msbAndShareConvertMatchPlaintext() throws IOException {
        Seeded s = Seeded.fromEnvOr(302);
        long[] edges = {0, 1, 2, -2 /* 2^64 - 2 */, -3, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 8192, -8192};
        long[] x = concat(edges, s.longs(30));
        for (int i = 0; i < x.length; i++) if (x[i] == -1L) x[i] = 5; // the one value outside the domain
        int n = x.length;
        Path in = write(x, 1, true);
        long[] msb = run("msb", in, null, ShareConvert.bytes(PACKED7, n) + ComputeMSB.bytes(PACKED7, n),
                ShareConvert.rounds() + ComputeMSB.rounds(), "--raw").longs();
        List<String> sc = run("shareconvert", in, null, ShareConvert.bytes(PACKED7, n), ShareConvert.rounds(), "--raw").values();
        for (int i = 0; i < n; i++) {
            assertThat(msb[i]).as(s.msg("msb of element " + i)).isEqualTo(x[i] >>> 63);
            // the Z_(2^64-1) value of x in 0 ... 2^64 - 2 is x read as an unsigned integer
            assertThat(sc.get(i)).as(s.msg("shareconvert of element " + i)).isEqualTo(Long.toUnsignedString(x[i]));
        }
        assertThat(sc.get(3)).isEqualTo("18446744073709551614");
    }

    @Test
    void privateCompareMatchesPlaintextIncludingTheExtremesOfR() throws IOException {
        Seeded s = Seeded.fromEnvOr(303);
        List<long[]> pairs = new ArrayList<>();
        long[] interesting = {0, 1, 2, -1, -2, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32};
        for (long x : interesting) {
            // r = 0 and r = 2^64 - 1 against every interesting x, and x against its neighbours
            for (long r : new long[] {0, -1, x, x + 1, x - 1, x ^ (1L << 17)}) pairs.add(new long[] {x, r});
        }
        // r = 2^64 - 1 takes its own branch when the common bit beta is 1: repeat it so both values of beta occur
        for (int i = 0; i < 24; i++) pairs.add(new long[] {s.rnd.nextLong(), -1});
        for (int i = 0; i < 40; i++) {
            long x = s.rnd.nextLong();
            long r = i % 2 == 0 ? s.rnd.nextLong() : x ^ (1L << s.rnd.nextInt(8)); // long common prefixes
            pairs.add(new long[] {x, r});
        }
        int n = pairs.size();
        long[] x = new long[n], r = new long[n];
        for (int i = 0; i < n; i++) {
            x[i] = pairs.get(i)[0];
            r[i] = pairs.get(i)[1];
        }
        Run pc = run("privatecompare", write(x, 1, true), write(r, 1, true), PrivateCompare.bytes(PACKED7, n),
                PrivateCompare.rounds(), "--raw");
        long[] got = pc.longs();
        for (int i = 0; i < n; i++) {
            assertThat(got[i]).as(s.msg("x > r for x = " + Long.toUnsignedString(x[i]) + ", r = "
                    + Long.toUnsignedString(r[i]))).isEqualTo(Long.compareUnsigned(x[i], r[i]) > 0 ? 1 : 0);
        }
        // Pi_PC itself: P0 and P1 each send the 64 masked values per element, P2 sends nothing in it
        assertThat(pc.partyBytes()[0]).isEqualTo(pc.partyBytes()[1]).isEqualTo(PrivateCompare.bytes(PACKED7, n) / 2);
        assertThat(pc.partyBytes()[2]).isZero();
    }

    // ---- maxpool, argmax, dmaxpool ----

    private static long[] plainMax(long[] x, int k, boolean argmax) {
        long[] r = new long[x.length / k];
        for (int g = 0; g < r.length; g++) {
            int best = 0;
            for (int i = 1; i < k; i++) if (x[g * k + i] > x[g * k + best]) best = i; // ties keep the first
            r[g] = argmax ? best : x[g * k + best];
        }
        return r;
    }

    @Test
    void poolingOperationsMatchPlaintextInBothForms() throws IOException {
        Seeded s = Seeded.fromEnvOr(304);
        long top = (1L << 61) - 1; // MaxPool's domain |x| < 2^61 (raw)
        for (int k : new int[] {1, 3, 4}) {
            int groups = 6;
            long[] x = s.fixed(groups * k, 50);
            // a fully tied group, a descending and an ascending one, ties among -2^-13/0/2^-13, the extremes
            for (int i = 0; i < k; i++) {
                x[i] = ONE;
                x[k + i] = -i * ULP;
                x[2 * k + i] = i * ONE;
                x[3 * k + i] = (i % 3 - 1) * ULP;
                x[4 * k + i] = i % 2 == 0 ? -top : top;
            }
            Path in = write(x, 1, false);
            int count = groups;
            for (MaxPool.Form form : MaxPool.Form.values()) {
                String f = form.name().toLowerCase(java.util.Locale.ROOT);
                long mb = MaxPool.bytes(S, count, k, form);
                int mr = MaxPool.rounds(S, k, form);
                long[] max = run("maxpool", in, null, mb, mr, "--window", "" + k, "--form", f).fixed();
                long[] arg = run("argmax", in, null, mb, mr, "--window", "" + k, "--form", f).longs();
                assertThat(max).as(s.msg("maxpool k=" + k + " " + f)).containsExactly(plainMax(x, k, false));
                assertThat(arg).as(s.msg("argmax k=" + k + " " + f)).containsExactly(plainMax(x, k, true));
                if (k != 3) {
                    long[] hot = run("dmaxpool", in, null, mb + DMaxPool.bytes(count, k), mr + DMaxPool.rounds(),
                            "--window", "" + k, "--form", f).longs();
                    long[] want = new long[count * k];
                    long[] a = plainMax(x, k, true);
                    for (int g = 0; g < count; g++) want[g * k + (int) a[g]] = 1;
                    assertThat(hot).as(s.msg("dmaxpool k=" + k + " " + f)).containsExactly(want);
                }
            }
        }
        // the default form is the tournament; a matrix is cut in row-major order; --raw values
        long[] raw = {5, -7, top, -top, 0, 0, 3, 3};
        Run def = run("argmax", write(raw, 4, true), null, MaxPool.bytes(S, 4, 2, MaxPool.Form.TOURNAMENT),
                MaxPool.rounds(S, 2, MaxPool.Form.TOURNAMENT), "--window", "2", "--raw");
        assertThat(def.longs()).containsExactly(0, 0, 0, 0);
        Run mx = run("maxpool", write(raw, 4, true), null, MaxPool.bytes(S, 2, 4, MaxPool.Form.TOURNAMENT),
                MaxPool.rounds(S, 4, MaxPool.Form.TOURNAMENT), "--window", "4", "--raw");
        assertThat(mx.longs()).containsExactly(top, 3);
    }

    // ---- div ----

    @Test
    void divisionMatchesTheExactQuotient() throws IOException {
        Seeded s = Seeded.fromEnvOr(305);
        long yTop = (1L << 48) - 1; // the largest divisor the probe accepts (raw)
        long[][] edges = {{0, ONE}, {ONE, ONE}, {ULP, ONE}, {ONE - ULP, ONE}, {ONE, 3 * ONE},
                {FixedPoint.parseExact("0.3"), FixedPoint.parseExact("2.5")}, {5 * ONE, 7 * ONE}, {ULP, ULP},
                {0, ULP}, {yTop, yTop}, {yTop - 1, yTop}, {1, yTop}, {0, yTop}, {ULP, 2 * ULP}};
        int n = edges.length + 30;
        long[] x = new long[n], y = new long[n];
        for (int i = 0; i < edges.length; i++) {
            x[i] = edges[i][0];
            y[i] = edges[i][1];
        }
        for (int i = edges.length; i < n; i++) {
            y[i] = 1 + s.rnd.nextLong(i % 3 == 0 ? 1L << 14 : i % 3 == 1 ? 1L << 30 : yTop);
            x[i] = s.rnd.nextLong(y[i] + 1);
        }
        long[] q = run("div", write(x, 1, false), write(y, 1, false), Division.bytes(S, n, Division.DEFAULT_QUOTIENT_BITS),
                Division.rounds(S, Division.DEFAULT_QUOTIENT_BITS)).fixed();
        for (int i = 0; i < n; i++) {
            long want = java.math.BigInteger.valueOf(x[i]).shiftLeft(13).divide(java.math.BigInteger.valueOf(y[i]))
                    .longValueExact();
            assertThat(q[i]).as(s.msg("div " + x[i] + " / " + y[i] + " (raw)")).isEqualTo(want);
        }
        assertThat(q[5]).isEqualTo(983); // 0.3 / 2.5, as the spec oracle gives for version B
        // --raw takes and writes the fixed-point encodings as integers
        long[] rq = run("div", write(new long[] {8192, 1}, 1, true), write(new long[] {16384, 3}, 1, true),
                Division.bytes(S, 2, Division.DEFAULT_QUOTIENT_BITS), Division.rounds(S, Division.DEFAULT_QUOTIENT_BITS),
                "--raw").longs();
        assertThat(rq).containsExactly(4096, 2730);
    }

    // ---- bad input ----

    private void assertError(SecureNnException.Kind kind, String expect, String... args) {
        CliRun r = CliRun.of(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r).isEqualTo(kind.exitCode);
        assertThat(r.errorLine()).as(String.join(" ", args)).startsWith("securenn: error: ").contains(expect);
    }

    @Test
    void badInputGivesOneErrorLineAndNoResult() throws IOException {
        String out = dir.resolve("never.csv").toString();
        var bad = SecureNnException.Kind.BAD_INPUT;
        var usage = SecureNnException.Kind.USAGE;
        String num = text("1\nabc\n").toString(), ragged = text("1,2\n3\n").toString();
        String five = text("1\n2\n3\n4\n5\n").toString(), four = text("1\n2\n3\n4\n").toString();
        // not a number, ragged rows
        assertError(bad, "line 2, column 1: not a number: 'abc'", "op", "relu", "--in", num, "--out", out);
        assertError(bad, "line 2 has 1 value where the rows above have 2", "op", "maxpool", "--window", "2", "--in",
                ragged, "--out", out);
        assertError(bad, "line 1, column 1: not an integer: '1.5'", "op", "msb", "--raw", "--in",
                text("1.5\n").toString(), "--out", out);
        // out of range: the fixed-point parser, and each protocol's domain
        assertError(bad, "value out of the fixed-point range", "op", "drelu", "--in", text("1e15\n").toString(), "--out", out);
        assertError(bad, "drelu: the value at row 2, column 1 is outside the domain |x| < 2^62", "op", "drelu", "--raw",
                "--in", text("0\n4611686018427387904\n").toString(), "--out", out);
        assertError(bad, "relu: the value at row 1, column 1 is outside the domain |x| < 2^62", "op", "relu", "--raw",
                "--in", text("-4611686018427387904\n").toString(), "--out", out);
        assertError(bad, "maxpool: the value at row 3, column 1 is outside the domain |x| < 2^48 (2^61 in fixed point)",
                "op", "maxpool", "--window", "4", "--in", text("1\n2\n281474976710656\n4\n").toString(), "--out", out);
        assertError(bad, "msb: the value at row 2, column 1 is -1 (2^64 - 1), outside ShareConvert's domain", "op", "msb",
                "--raw", "--in", text("3\n-1\n").toString(), "--out", out);
        assertError(bad, "shareconvert: the value at row 1, column 1 is -1", "op", "shareconvert", "--raw", "--in",
                text("-1\n").toString(), "--out", out);
        // division domain: 0 <= x <= y, y > 0, y < 2^35
        String one = text("1\n").toString();
        assertError(bad, "div: at row 1, column 1, x is larger than y (div needs 0 <= x <= y and y > 0)", "op", "div",
                "--in", text("2\n").toString(), "--in2", one, "--out", out);
        assertError(bad, "div: at row 1, column 1, y is not positive", "op", "div", "--in", text("0\n").toString(),
                "--in2", text("0\n").toString(), "--out", out);
        assertError(bad, "div: at row 1, column 1, x is negative", "op", "div", "--in", text("-0.5\n").toString(),
                "--in2", one, "--out", out);
        assertError(bad, "div: at row 1, column 1, y is not below 2^35", "op", "div", "--in", one,
                "--in2", text("34359738368\n").toString(), "--out", out);
        assertError(bad, "div needs x and y of the same shape, got 5x1 and 4x1", "op", "div", "--in", five, "--in2",
                four, "--out", out);
        // windows
        assertError(bad, "maxpool: 5 values do not cut into groups of --window 2", "op", "maxpool", "--window", "2",
                "--in", five, "--out", out);
        assertError(bad, "argmax: 4 values do not cut into groups of --window 3", "op", "argmax", "--window", "3",
                "--in", four, "--out", out);
        assertError(bad, "DMaxPool needs a window of a power-of-two number of values (n must divide 2^64), got 3", "op",
                "dmaxpool", "--window", "3", "--in", text("1\n2\n3\n").toString(), "--out", out);
        assertError(usage, "dmaxpool needs --window K", "op", "dmaxpool", "--in", four, "--out", out);
        assertError(usage, "--window must be at least 1", "op", "argmax", "--window", "0", "--in", four, "--out", out);
        assertError(usage, "--window is not used by relu", "op", "relu", "--window", "2", "--in", four, "--out", out);
        assertError(usage, "--form is not used by div", "op", "div", "--form", "sequential", "--in", four, "--in2",
                four, "--out", out);
        assertError(usage, "'diagonal' is not a form (sequential or tournament)", "op", "maxpool", "--window", "2",
                "--form", "diagonal", "--in", four, "--out", out);
        // ring-element operations insist on --raw
        for (String op : List.of("msb", "shareconvert", "privatecompare")) {
            assertError(usage, op + " works on ring elements: its values are signed 64-bit integers, not fixed-point "
                    + "decimals (add --raw)", "op", op, "--in", four, "--in2", four, "--out", out);
        }
        assertError(bad, "privatecompare needs x and r of the same shape, got 5x1 and 4x1", "op", "privatecompare",
                "--raw", "--in", five, "--in2", four, "--out", out);
        assertThat(dir.resolve("never.csv")).doesNotExist();
    }

    @Test
    void helpListsEveryOperation() {
        CliRun r = CliRun.of("op", "--help");
        assertThat(r.exit()).isZero();
        for (String op : List.of("mul", "matmul", "relu", "drelu", "msb", "shareconvert", "privatecompare", "maxpool",
                "argmax", "dmaxpool", "div")) {
            assertThat(r.out()).contains("  " + op + " ");
        }
        assertThat(r.out()).contains("--form").contains("docs/PROBE.md");
    }
}
