package io.securenn.train;

import io.securenn.SecureNnException;

import java.util.Map;
import java.util.TreeMap;

/**
 * The learning rate 2^-K by position in training: a starting shift and the positions from which another shift
 * applies, each an epoch {@code E} (from its first batch) or a batch of an epoch {@code E+B} (from its batch B,
 * 0-based), e.g. {@code 1:5,2:4,11:5,14:6} (epoch 1 at 2^-5, a warm-up; epochs 2–10 at 2^-4; 11–13 at 2^-5; 14 on
 * at 2^-6) or {@code 1:7,1+64:4} (a warm-up of 64 batches, then 2^-4). The schedule is public (every party knows
 * it), so changing the shift costs nothing securely: it only moves the SGD update's truncation.
 *
 * @param from shift by position {@code epoch << 32 | batch}; it has an entry at epoch 1, batch 0
 */
public record LrSchedule(TreeMap<Long, Integer> from) {
    public LrSchedule {
        if (from.isEmpty() || !from.containsKey(key(1, 0))) throw new IllegalArgumentException("a schedule starts at epoch 1");
        from = new TreeMap<>(from);
        for (Map.Entry<Long, Integer> e : from.entrySet()) checkShift(e.getValue());
    }

    private static long key(int epoch, int batch) {
        return (long) epoch << 32 | batch;
    }

    /** The same shift in every epoch. */
    public static LrSchedule constant(int shift) {
        TreeMap<Long, Integer> m = new TreeMap<>();
        m.put(key(1, 0), shift);
        return new LrSchedule(m);
    }

    /**
     * Parses {@code E[+B]:K[,…]} (positions strictly increasing, each K in 0..30); positions before the first
     * entry use {@code initialShift}.
     */
    public static LrSchedule parse(String spec, int initialShift) {
        TreeMap<Long, Integer> m = new TreeMap<>();
        m.put(key(1, 0), initialShift);
        long last = 0;
        for (String part : spec.split(",", -1)) {
            String[] ek = part.trim().split(":", -1);
            int epoch, batch = 0, shift;
            try {
                if (ek.length != 2) throw new NumberFormatException();
                String[] eb = ek[0].trim().split("\\+", -1);
                if (eb.length > 2) throw new NumberFormatException();
                epoch = Integer.parseInt(eb[0].trim());
                if (eb.length == 2) batch = Integer.parseInt(eb[1].trim());
                shift = Integer.parseInt(ek[1].trim());
            } catch (NumberFormatException e) {
                throw SecureNnException.usage("--lr-schedule: '" + part.trim()
                        + "' is not EPOCH[+BATCH]:SHIFT (e.g. 1:5,2:4,14:6 or 1:7,1+64:4)");
            }
            if (epoch <= 0 || batch < 0) {
                throw SecureNnException.usage("--lr-schedule: epochs must be positive and batches non-negative, got '" + part.trim() + "'");
            }
            long k = key(epoch, batch);
            if (k <= last) {
                throw SecureNnException.usage("--lr-schedule: positions must be increasing, got " + position(k) + " after " + position(last));
            }
            if (shift < 0 || shift > 30) throw SecureNnException.usage("--lr-schedule: shift must be in 0..30, got " + shift);
            m.put(k, shift);
            last = k;
        }
        return new LrSchedule(m);
    }

    /** The shift at the first batch of an epoch (1-based). */
    public int shiftAt(int epoch) {
        return shiftAt(epoch, 0);
    }

    /** The shift at batch {@code batch} (0-based) of epoch {@code epoch} (1-based). */
    public int shiftAt(int epoch, int batch) {
        return from.floorEntry(key(Math.max(1, epoch), Math.max(0, batch))).getValue();
    }

    /** Whether the shift changes inside epoch {@code epoch} (after its first batch). */
    public boolean changesWithin(int epoch) {
        return from.subMap(key(epoch, 1), true, key(epoch + 1, 0), false).size() > 0;
    }

    public boolean isConstant() {
        return from.values().stream().distinct().count() == 1;
    }

    /** {@code 1:5,2:4,…}, the canonical form (part of a run's parameters, so a resume must use the same schedule). */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        from.forEach((p, k) -> sb.append(sb.isEmpty() ? "" : ",").append(position(p)).append(':').append(k));
        return sb.toString();
    }

    private static String position(long p) {
        int e = (int) (p >>> 32), b = (int) p;
        return b == 0 ? Integer.toString(e) : e + "+" + b;
    }

    private static void checkShift(int k) {
        if (k < 0 || k > 30) throw SecureNnException.usage("learning-rate shift must be in 0..30, got " + k);
    }
}
