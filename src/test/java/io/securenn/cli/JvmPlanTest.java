package io.securenn.cli;

import io.securenn.bench.BenchCase;
import io.securenn.bench.NetworkBench;
import io.securenn.job.HeapPlan;
import io.securenn.model.Architecture;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The heap plan of the commands that run parties, as the launcher and bench networks ask for it. */
class JvmPlanTest {

    @Test
    void aPartysHeapGrowsWithTheBatchAndTrainingNeedsMoreThanInference() {
        for (Architecture a : Architecture.values()) {
            assertThat(HeapPlan.partyHeapMb(a, 128, true)).isGreaterThanOrEqualTo(HeapPlan.partyHeapMb(a, 128, false));
            assertThat(HeapPlan.partyHeapMb(a, 128, false)).isGreaterThan(HeapPlan.partyHeapMb(a, 1, false));
            assertThat(HeapPlan.partyHeapMb(a, 1, false)).isGreaterThanOrEqualTo(HeapPlan.BASE_MB);
        }
    }

    @Test
    void localRunsHoldThreePartiesAndTheDatasetPartyProcessesOne() {
        long party = HeapPlan.partyHeapMb(Architecture.C, 128, true);
        assertThat(JvmPlan.heapMbOf("train", "--network", "C")).isEqualTo(3 * party + HeapPlan.DATASET_MB);
        assertThat(JvmPlan.heapMbOf("train", "--network", "C", "--party", "1", "--config", "cluster.conf"))
                .isEqualTo(party + HeapPlan.DATASET_MB);
        assertThat(JvmPlan.heapMbOf("train", "--network", "C", "--plaintext")).isEqualTo(party + HeapPlan.DATASET_MB);
        assertThat(JvmPlan.heapMbOf("infer", "--network", "B", "--batch", "1"))
                .isEqualTo(3 * HeapPlan.partyHeapMb(Architecture.B, 1, false) + HeapPlan.DATASET_MB);
        assertThat(JvmPlan.heapMbOf("demo")).isEqualTo(3 * HeapPlan.partyHeapMb(Architecture.A, 128, true) + HeapPlan.DATASET_MB);
        assertThat(JvmPlan.heapMbOf("bench", "worker", "--case", "C:inference:128", "--party", "0", "--config", "c",
                "--result", "r.json")).isEqualTo(HeapPlan.partyHeapMb(Architecture.C, 128, false));
    }

    @Test
    void commandsWithoutPartiesHaveNoPlanAndBadArgumentsPrintNothing() {
        assertThat(JvmPlan.heapMbOf("keys", "--out", "dir")).isZero();
        assertThat(JvmPlan.heapMbOf("bench", "networks")).isZero();
        assertThatThrownBy(() -> JvmPlan.heapMbOf("train", "--network", "Q")).isInstanceOf(RuntimeException.class);
        assertThat(printed("train", "--network", "Q")).isEmpty();
        assertThat(printed("train", "--no-such-option")).isEmpty();
        assertThat(printed("train", "--network", "A", "--batch", "64"))
                .isEqualTo(HeapPlan.options(JvmPlan.heapMbOf("train", "--network", "A", "--batch", "64")) + "\n");
    }

    @Test
    void benchPartiesGetTheRowsPlanUnlessTheOptionsChooseAHeapOrCollector() {
        BenchCase c = BenchCase.parse("C:training:128");
        assertThat(NetworkBench.partyJvmOptions(NetworkBench.DEFAULT_JVM_OPTIONS, c)).isEqualTo(NetworkBench.DEFAULT_JVM_OPTIONS
                + " -XX:+UseSerialGC -XX:TrimNativeHeapInterval=1000 -Xmx" + HeapPlan.partyHeapMb(Architecture.C, 128, true) + "m");
        for (String own : new String[] {"-Xss16m -Xmx2g", "-XX:+UseParallelGC", "-XX:MaxHeapSize=1g -Xss16m"}) {
            assertThat(NetworkBench.partyJvmOptions(own, c)).isEqualTo(own);
        }
        assertThat(HeapPlan.chooses("-Xss16m -XX:TieredStopAtLevel=1")).isFalse();
    }

    private static String printed(String... args) {
        PrintStream before = System.out;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setOut(new PrintStream(b, true));
        try {
            JvmPlan.main(args);
        } finally {
            System.setOut(before);
        }
        return b.toString();
    }
}
