package io.securenn.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress bar of long runs on an interactive terminal (on stderr): epoch, batch, the latest revealed loss,
 * MB sent by P0 so far, and the ETA. Off when stderr is not a terminal, so logs and tests stay clean.
 */
final class TrainingProgress implements AutoCloseable {
    private final ProgressBar bar;
    private final LongSupplier bytesSent;
    private volatile String loss = "-";

    private TrainingProgress(ProgressBar bar, LongSupplier bytesSent) {
        this.bar = bar;
        this.bytesSent = bytesSent;
    }

    /**
     * A bar when this process runs on a terminal, else null. Since JDK 22 {@code System.console()} exists even when
     * the output is redirected, so it is asked whether it is a terminal; the launcher also sets SECURENN_NO_PROGRESS
     * when stderr, where the bar goes, is not one.
     */
    static TrainingProgress open(String task, long totalBatches, LongSupplier bytesSent) {
        java.io.Console console = System.console();
        if (console == null || !console.isTerminal() || System.getenv("SECURENN_NO_PROGRESS") != null) return null;
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalBatches)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed()
                .setMaxRenderedLength(120).build();
        return new TrainingProgress(bar, bytesSent);
    }

    void batchDone(int epoch) {
        bar.step();
        bar.setExtraMessage(String.format(Locale.ROOT, " epoch %d, loss %s, P0 sent %,.0f MB", epoch, loss,
                bytesSent.getAsLong() / 1e6));
    }

    void loss(double l) {
        loss = String.format(Locale.ROOT, "%.4f", l);
    }

    Duration elapsed() {
        return Duration.between(bar.getStartInstant(), java.time.Instant.now());
    }

    @Override
    public void close() {
        bar.close();
    }
}
