package io.securenn.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The measured result of one benchmark row, the three parties combined: per run the slowest party's time (from the
 * common barrier to the end of its part), the bytes each party sent (the same in every run: checked), the rounds
 * (largest over the parties), each party process's peak resident memory, and per scope the bytes summed over the
 * parties and the rounds (largest over the parties) of the last run; per party the CPU its process used per
 * measured run and the part of it its JIT compilers used (ms; null where the parties did not say: {@link
 * ProcessTimes}). A failed row has an error and no figures.
 */
public record RowResult(BenchCase benchCase, String profile, List<Double> runSeconds, long[] bytes, long rounds,
                        double[] peakMb, Map<String, Formulas.Cost> scopes, OptionalDouble paperSeconds,
                        OptionalDouble paperMb, String error, double[] cpuMs, double[] jitMs) {

    public RowResult(BenchCase benchCase, String profile, List<Double> runSeconds, long[] bytes, long rounds,
                     double[] peakMb, Map<String, Formulas.Cost> scopes, OptionalDouble paperSeconds,
                     OptionalDouble paperMb, String error) {
        this(benchCase, profile, runSeconds, bytes, rounds, peakMb, scopes, paperSeconds, paperMb, error, null, null);
    }

    public static RowResult failed(BenchCase c, String profile, String error) {
        return new RowResult(c, profile, List.of(), null, 0, null, Map.of(), OptionalDouble.empty(),
                OptionalDouble.empty(), error);
    }

    public boolean ok() {
        return error == null;
    }

    public double medianSeconds() {
        List<Double> s = new ArrayList<>(runSeconds);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    public double minSeconds() {
        return Collections.min(runSeconds);
    }

    public long totalBytes() {
        return bytes[0] + bytes[1] + bytes[2];
    }

    public double totalMb() {
        return totalBytes() / 1e6;
    }
}
