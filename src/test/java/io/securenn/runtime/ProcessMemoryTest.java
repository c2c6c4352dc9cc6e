package io.securenn.runtime;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessMemoryTest {
    private static long parse(String text, String key) {
        Matcher m = Pattern.compile("(?m)^" + key + ":\\s*(\\d+)").matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static long field(String text, String key) {
        return ProcessMemory.field(text.getBytes(StandardCharsets.US_ASCII), (key + ":").getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void fieldScanAgreesWithARegexOnEdgeInputs() {
        String[] texts = {
            "Name:\tjava\nVmPeak:\t 1 kB\nVmHWM:\t  345678 kB\nVmRSS:\t  123 kB\n",
            "VmHWM:\t7 kB\nVmRSS:\t0 kB",                          // first line, no final newline
            "Name:\tx\nXVmHWM:\t99 kB\nVmHWM:\t12 kB\n",            // the key inside another line is not it
            "Name:\tx\nVmRSS:\t5 kB\n",                             // no VmHWM
            "VmHWM:\tkB\n",                                          // no digits
            "",
        };
        for (String t : texts) {
            for (String key : new String[] {"VmHWM", "VmRSS"}) {
                assertThat(field(t, key)).as("%s in %s", key, t).isEqualTo(parse(t, key));
            }
        }
    }

    @Test
    void readAgreesWithTheStatusFile() throws Exception {
        Path status = Path.of("/proc/self/status");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(status), "no /proc here");
        long[] r = ProcessMemory.read();
        long hwm = parse(Files.readString(status), "VmHWM");
        assertThat(r[0]).isPositive();
        assertThat(r[0]).isGreaterThanOrEqualTo(r[1]);
        // the peak only grows: a regex read just after is at least ours and close to it
        assertThat(hwm).isGreaterThanOrEqualTo(r[0]).isLessThan(r[0] + 1_000_000);
    }
}
