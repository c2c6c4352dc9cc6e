package io.securenn.testutil;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Waiting for an event in a test: a condition polled with a generous deadline, instead of a sleep of a guessed
 * length that stands for "by then it will have happened" (which a loaded 2-core machine does not keep).
 */
public final class Await {
    private Await() {}

    /** Polls the condition every 10 ms until it holds; fails naming what it waited for once `within` is over. */
    public static void until(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + within.toSeconds() + " s in vain until " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what);
            }
        }
    }

    /**
     * Waits until the thread is blocked (waiting) inside a method of that name of the class, e.g. a receive. A
     * thread waiting in a selector (a receive that reads its links itself) is RUNNABLE in native code: it counts
     * as waiting when its stack is in {@code Selector.select}.
     */
    public static void blockedIn(Thread thread, Class<?> type, String method, Duration within) {
        until(thread.getName() + " waits in " + type.getSimpleName() + "." + method, within, () -> {
            Thread.State s = thread.getState();
            StackTraceElement[] st = thread.getStackTrace();
            boolean selecting = s == Thread.State.RUNNABLE && Arrays.stream(st).anyMatch(f ->
                    f.getClassName().startsWith("sun.nio.ch.") && f.getMethodName().equals("doSelect"));
            return (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || selecting)
                    && Arrays.stream(st).anyMatch(f ->
                            f.getClassName().equals(type.getName()) && f.getMethodName().equals(method));
        });
    }
}
