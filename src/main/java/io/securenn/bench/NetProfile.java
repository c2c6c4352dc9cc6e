package io.securenn.bench;

import io.securenn.SecureNnException;

import java.time.Duration;
import java.util.Locale;

/**
 * Where the three party processes talk: over this host's loopback, or in three network namespaces whose links
 * are shaped to the paper's LAN or WAN (spec §3.1) or to a custom rate and one-way delay.
 *
 * @param rateMBps link rate in MB/s (10^6 bytes per second) per direction of each link, or 0 for unshaped
 * @param oneWayDelay added one-way delay per direction (zero: none added)
 * @param paperSetting the paper's setting to compare with, or null (custom)
 */
public record NetProfile(String name, double rateMBps, Duration oneWayDelay, PaperFigures.Setting paperSetting) {

    /** The paper's LAN: 625 MB/s; its 0.22 ms ping is not emulated (a relay would add more than that). */
    public static final NetProfile LAN = new NetProfile("lan", 625, Duration.ZERO, PaperFigures.Setting.LAN);
    /** The paper's WAN: 40 MB/s and 58 ms ping, i.e. 29 ms each way. */
    public static final NetProfile WAN = new NetProfile("wan", 40, Duration.ofMillis(29), PaperFigures.Setting.WAN);
    /** This host's loopback, unshaped; compared with the paper's LAN figures. */
    public static final NetProfile LOOPBACK = new NetProfile("loopback", 0, Duration.ZERO, PaperFigures.Setting.LAN);

    public NetProfile {
        if (rateMBps < 0 || oneWayDelay.isNegative()) throw SecureNnException.usage("rate and delay must not be negative");
    }

    public boolean namespaces() {
        return !name.equals("loopback");
    }

    public static NetProfile custom(double rateMBps, Duration oneWayDelay) {
        if (rateMBps <= 0) throw SecureNnException.usage("--profile custom needs --rate MB/s (more than 0)");
        return new NetProfile("custom", rateMBps, oneWayDelay, null);
    }

    public static NetProfile parse(String name, Double rate, Duration delay) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (!n.equals("custom") && (rate != null || delay != null)) {
            throw SecureNnException.usage("--rate and --delay go with --profile custom");
        }
        return switch (n) {
            case "loopback" -> LOOPBACK;
            case "lan" -> LAN;
            case "wan" -> WAN;
            case "custom" -> custom(rate == null ? 0 : rate, delay == null ? Duration.ZERO : delay);
            default -> throw SecureNnException.usage("--profile must be loopback, lan, wan or custom, not '" + name + "'");
        };
    }

    /** One line for reports: the conditions asked for (the mechanism that produced them is reported apart). */
    public String describe() {
        if (!namespaces()) return "loopback (127.0.0.1, unshaped)";
        String rate = String.format(Locale.ROOT, "%s MB/s per link direction", trim(rateMBps));
        String delay = oneWayDelay.isZero() ? "no added delay"
                : String.format(Locale.ROOT, "%s ms one-way delay (%s ms round trip)", trim(oneWayDelay.toNanos() / 1e6),
                trim(2 * oneWayDelay.toNanos() / 1e6));
        return name + ": " + rate + ", " + delay;
    }

    /** 40.0 → "40", 0.5 → "0.5". */
    public static String trim(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
    }

    /** Parses a delay: 0, 29ms, 0.5ms, 250us, 1s. */
    public static Duration parseDelay(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.equals("0")) return Duration.ZERO;
            double x;
            if (v.endsWith("ms")) x = Double.parseDouble(v.substring(0, v.length() - 2)) * 1e6;
            else if (v.endsWith("us")) x = Double.parseDouble(v.substring(0, v.length() - 2)) * 1e3;
            else if (v.endsWith("s")) x = Double.parseDouble(v.substring(0, v.length() - 1)) * 1e9;
            else throw SecureNnException.usage("a delay needs a unit (us, ms, s), got '" + s + "'");
            if (x < 0 || Double.isNaN(x)) throw SecureNnException.usage("a delay must not be negative, got '" + s + "'");
            return Duration.ofNanos(Math.round(x));
        } catch (NumberFormatException e) {
            throw SecureNnException.usage("'" + s + "' is not a delay (e.g. 29ms, 0.5ms, 1s)");
        }
    }
}
