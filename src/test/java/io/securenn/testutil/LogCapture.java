package io.securenn.testutil;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.securenn.ring.FixedPoint;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Captures everything logged (root logger set to the given level, every message rendered with its arguments and
 * any exception, as the CLI's appender would) until closed, and searches the text for secret values.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger root;
    private final Level before;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();

    public LogCapture(Level level) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern("%level [%thread] %logger: %msg%n%ex");
        enc.start();
        appender.setContext(ctx);
        appender.setEncoder(enc);
        appender.setOutputStream(buffer);
        appender.start();
        root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        before = root.getLevel();
        root.setLevel(level);
        root.addAppender(appender);
    }

    public String text() {
        synchronized (buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        root.setLevel(before);
        appender.stop();
    }

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");
    private static final Pattern HEX_RUN = Pattern.compile("[0-9a-fA-F]{6,}");
    /** Consecutive elements of a secret array searched for as consecutive numbers of the log. */
    static final int RUN = 4;
    /** Values at least this large are distinctive enough to look for one at a time. */
    public static final long DISTINCTIVE = 1L << 24;

    /** An integer of magnitude below 16, as a decoded value prints. */
    private static final java.util.regex.Pattern SMALL_INTEGER = java.util.regex.Pattern.compile("-?(1[0-5]|[0-9])");

    /**
     * Where secret values appear in the log text, as readable findings (empty if none):
     * <ul>
     *   <li>any value with |v| ≥ 2^24 (shares are uniform 64-bit values, so nearly all of them) as a signed or
     *       unsigned decimal token, or in hexadecimal: as a token, or anywhere inside a longer run of hex digits
     *       when it has 12 digits or more (fewer could match by chance);</li>
     *   <li>in arrays of small values (inputs, weights), any four consecutive elements, at least two of them
     *       of magnitude 16 or more, as four consecutive numbers of the log (as an array dump would print them),
     *       in raw or fixed-point decimal form.</li>
     * </ul>
     */
    public static List<String> findSecrets(String log, List<long[]> secrets) {
        List<String> numbers = new ArrayList<>();
        Matcher m = NUMBER.matcher(log);
        while (m.find()) numbers.add(m.group());
        Set<String> numberSet = new HashSet<>(numbers);
        // hex runs of the log (as tokens), and every 12- to 16-digit piece of them (a value inside a longer run)
        Set<String> hex = new HashSet<>();
        Matcher h = HEX_RUN.matcher(log);
        while (h.find()) {
            String run = h.group().toLowerCase(Locale.ROOT);
            hex.add(run);
            for (int i = 0; i + 12 <= run.length(); i++) {
                for (int len = 12; len <= 16 && i + len <= run.length(); len++) hex.add(run.substring(i, i + len));
            }
        }
        Set<String> runs = new HashSet<>();
        for (int i = 0; i + RUN <= numbers.size(); i++) runs.add(String.join(" ", numbers.subList(i, i + RUN)));
        List<String> found = new ArrayList<>();
        for (long[] a : secrets) {
            if (a == null) continue;
            int distinctive = 0;
            for (long v : a) {
                if (Math.abs(v) < DISTINCTIVE && v != Long.MIN_VALUE) continue;
                distinctive++;
                if (numberSet.contains(Long.toString(v))) found.add("decimal " + v);
                if (numberSet.contains(Long.toUnsignedString(v))) found.add("unsigned decimal " + Long.toUnsignedString(v));
                if (hex.contains(Long.toHexString(v))) found.add("hex " + Long.toHexString(v));
            }
            if (distinctive > a.length / 2) continue; // shares: every element was searched for on its own
            for (int i = 0; i + RUN <= a.length; i++) {
                int sizeable = 0;
                boolean rawSeen = true, fixedSeen = true;
                String[] raw = new String[RUN], fixed = new String[RUN];
                for (int k = 0; k < RUN; k++) {
                    long v = a[i + k];
                    if (Math.abs(v) >= 16) sizeable++;
                    raw[k] = Long.toString(v);
                    rawSeen &= numberSet.contains(raw[k]);
                }
                if (sizeable < 2) continue; // runs of small numbers occur in any log
                if (rawSeen && runs.contains(String.join(" ", raw))) found.add("run " + String.join(" ", raw));
                int fixedSizeable = 0;
                for (int k = 0; k < RUN && fixedSeen; k++) {
                    fixed[k] = FixedPoint.toExactDecimal(a[i + k]);
                    fixedSeen = numberSet.contains(fixed[k]);
                    if (!SMALL_INTEGER.matcher(fixed[k]).matches()) fixedSizeable++;
                }
                // decoded, 0 and 1.0 read "0" and "1": a run of such small integers occurs in any log (the party
                // names P0, P1 … are numbers to this search), so the decoded run must be distinctive too
                if (fixedSeen && fixedSizeable >= 2 && runs.contains(String.join(" ", fixed))) {
                    found.add("run " + String.join(" ", fixed));
                }
            }
        }
        return found;
    }
}
