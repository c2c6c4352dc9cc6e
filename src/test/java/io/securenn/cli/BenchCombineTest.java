package io.securenn.cli;

import io.securenn.SecureNnException;
import io.securenn.bench.BenchCase;
import io.securenn.bench.NetProfile;
import io.securenn.bench.NetworkResults;
import io.securenn.bench.RowResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the coordinator combines the three parties' result files into one row. */
class BenchCombineTest {

    static void write(Path dir, int party, double[] seconds, long bytes, long rounds, long peakKb, long scopeBytes) throws Exception {
        StringBuilder runs = new StringBuilder();
        for (int k = 0; k < seconds.length; k++) {
            runs.append(k == 0 ? "" : ",").append("{\"seconds\": ").append(seconds[k]).append(", \"bytes\": ").append(bytes)
                    .append(", \"rounds\": ").append(rounds).append('}');
        }
        Files.writeString(dir.resolve("result.p" + party + ".json"), "{\"party\": " + party + ", \"runs\": [" + runs
                + "], \"scopes\": {\"L0 x forward\": {\"calls\": 1, \"bytes\": " + scopeBytes + ", \"rounds\": " + rounds
                + "}}, \"peak_rss_kb\": " + peakKb + "}");
    }

    @Test
    void eachRunTakesTheSlowestPartyAndScopesAddUpBytes(@TempDir Path dir) throws Exception {
        write(dir, 0, new double[] {1.0, 3.0, 2.0}, 100, 7, 102400, 60);
        write(dir, 1, new double[] {1.5, 2.0, 2.5}, 100, 7, 204800, 60);
        write(dir, 2, new double[] {0.5, 4.0, 0.5}, 40, 6, 51200, 40);
        RowResult r = NetworkResults.combine(BenchCase.parse("A:inference:1"), NetProfile.WAN, dir);
        assertThat(r.runSeconds()).containsExactly(1.5, 4.0, 2.5);
        assertThat(r.medianSeconds()).isEqualTo(2.5);
        assertThat(r.minSeconds()).isEqualTo(1.5);
        assertThat(r.bytes()).containsExactly(100, 100, 40);
        assertThat(r.rounds()).isEqualTo(7);
        assertThat(r.peakMb()).containsExactly(100, 200, 50);
        assertThat(r.scopes().get("L0 x forward").bytes()).isEqualTo(160);
        assertThat(r.scopes().get("L0 x forward").rounds()).isEqualTo(7);
        assertThat(r.paperSeconds()).hasValue(2.43);   // WAN, Table 7
        assertThat(r.paperMb()).hasValue(2.1);
    }

    @Test
    void bytesThatChangeBetweenRunsAreAnError(@TempDir Path dir) throws Exception {
        write(dir, 0, new double[] {1.0}, 100, 7, 1024, 1);
        write(dir, 2, new double[] {1.0}, 100, 7, 1024, 1);
        Files.writeString(dir.resolve("result.p1.json"), "{\"runs\": [{\"seconds\": 1, \"bytes\": 100, \"rounds\": 7}, "
                + "{\"seconds\": 1, \"bytes\": 101, \"rounds\": 7}], \"scopes\": {}, \"peak_rss_kb\": 1}");
        write(dir, 0, new double[] {1.0, 1.0}, 100, 7, 1024, 1);
        write(dir, 2, new double[] {1.0, 1.0}, 100, 7, 1024, 1);
        assertThatThrownBy(() -> NetworkResults.combine(BenchCase.parse("A:inference:1"), NetProfile.LOOPBACK, dir))
                .isInstanceOf(SecureNnException.class).hasMessageContaining("P1 sent 100 B in one run and 101 B");
    }

    @Test
    void aMissingResultNamesTheParty(@TempDir Path dir) throws Exception {
        write(dir, 0, new double[] {1.0}, 100, 7, 1024, 1);
        assertThatThrownBy(() -> NetworkResults.combine(BenchCase.parse("A:inference:1"), NetProfile.LOOPBACK, dir))
                .isInstanceOf(SecureNnException.class).hasMessageContaining("P1 wrote no result");
    }
}
