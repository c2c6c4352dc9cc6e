package io.securenn.train;

import io.securenn.SecureNnException;

import java.util.Map;
import java.util.TreeMap;

/**
 * The learning rate 2^-K per epoch: a starting shift and the epochs from which another shift applies, e.g.
 * {@code 1:5,2:4,11:5,14:6} (epoch 1 at 2^-5, a short warm-up; epochs 2–10 at 2^-4; 11–13 at 2^-5; 14 on at
 * 2^-6). The schedule is public (every party knows it), so changing the shift costs nothing securely: it only
 * moves the SGD update's truncation.
 */
public record LrSchedule(TreeMap<Integer, Integer> fromEpoch) {
    public LrSchedule {
        if (fromEpoch.isEmpty() || !fromEpoch.containsKey(1)) throw new IllegalArgumentException("a schedule starts at epoch 1");
        fromEpoch = new TreeMap<>(fromEpoch);
        for (Map.Entry<Integer, Integer> e : fromEpoch.entrySet()) checkShift(e.getValue());
    }

    /** The same shift in every epoch. */
    public static LrSchedule constant(int shift) {
        TreeMap<Integer, Integer> m = new TreeMap<>();
        m.put(1, shift);
        return new LrSchedule(m);
    }

    /**
     * Parses {@code E:K[,E:K…]} (epochs strictly increasing, each K in 0..30); epochs before the first entry use
     * {@code initialShift}.
     */
    public static LrSchedule parse(String spec, int initialShift) {
        TreeMap<Integer, Integer> m = new TreeMap<>();
        m.put(1, initialShift);
        int last = 0;
        for (String part : spec.split(",", -1)) {
            String[] ek = part.trim().split(":", -1);
            int epoch, shift;
            try {
                if (ek.length != 2) throw new NumberFormatException();
                epoch = Integer.parseInt(ek[0].trim());
                shift = Integer.parseInt(ek[1].trim());
            } catch (NumberFormatException e) {
                throw SecureNnException.usage("--lr-schedule: '" + part.trim() + "' is not EPOCH:SHIFT (e.g. 1:5,2:4,14:6)");
            }
            if (epoch <= last) throw SecureNnException.usage("--lr-schedule: epochs must be positive and increasing, got " + epoch + " after " + last);
            if (shift < 0 || shift > 30) throw SecureNnException.usage("--lr-schedule: shift must be in 0..30, got " + shift);
            m.put(epoch, shift);
            last = epoch;
        }
        return new LrSchedule(m);
    }

    public int shiftAt(int epoch) {
        return fromEpoch.floorEntry(Math.max(1, epoch)).getValue();
    }

    public boolean isConstant() {
        return fromEpoch.values().stream().distinct().count() == 1;
    }

    /** {@code 1:5,2:4,…}, the canonical form (part of a run's parameters, so a resume must use the same schedule). */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        fromEpoch.forEach((e, k) -> sb.append(sb.isEmpty() ? "" : ",").append(e).append(':').append(k));
        return sb.toString();
    }

    private static void checkShift(int k) {
        if (k < 0 || k > 30) throw SecureNnException.usage("learning-rate shift must be in 0..30, got " + k);
    }
}
