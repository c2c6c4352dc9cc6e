package io.securenn.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations such as 500ms, 3s, 2m, 1h (a bare number means seconds) or ISO-8601 (PT3S). */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        String v = value.trim();
        Matcher m = SIMPLE.matcher(v);
        Duration d;
        if (m.matches()) {
            double x = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double ms = switch (unit) {
                case "ms" -> x;
                case "s" -> x * 1e3;
                case "m" -> x * 60e3;
                default -> x * 3600e3;
            };
            d = Duration.ofMillis(Math.round(ms));
        } else {
            try {
                d = Duration.parse(v);
            } catch (java.time.format.DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 3s, 2m)");
            }
        }
        if (d.isNegative() || d.isZero()) throw new CommandLine.TypeConversionException("'" + value + "' must be more than 0");
        return d;
    }
}
