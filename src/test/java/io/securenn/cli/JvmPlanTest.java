package io.securenn.cli;

import io.securenn.bench.BenchCase;
import io.securenn.bench.NetworkBench;
import io.securenn.job.HeapPlan;
import io.securenn.model.Architecture;
import io.securenn.runtime.SessionParams;
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
        // a test set runs many batches: each party keeps B's stationary weight masks (8 bytes per parameter)
        long masksB = HeapPlan.weightMasksMb(Architecture.B.graph().parameterCount(), SessionParams.DEFAULT_WEIGHT_MASK_BUDGET);
        assertThat(masksB).isEqualTo((long) Math.ceil(8.0 * Architecture.B.graph().parameterCount() / 1e6)).isPositive();
        assertThat(JvmPlan.heapMbOf("infer", "--network", "B", "--batch", "1"))
                .isEqualTo(3 * HeapPlan.partyHeapMb(Architecture.B, 1, false) + HeapPlan.DATASET_MB + 3 * masksB);
        assertThat(JvmPlan.heapMbOf("demo")).isEqualTo(3 * HeapPlan.partyHeapMb(Architecture.A, 128, true) + HeapPlan.DATASET_MB);
        assertThat(JvmPlan.heapMbOf("bench", "worker", "--case", "C:inference:128", "--party", "0", "--config", "c",
                "--result", "r.json")).isEqualTo(HeapPlan.partyHeapMb(Architecture.C, 128, false));
    }

    /**
     * An ONNX model: with --input the weights are streamed and their shares made again per pass, so the plan holds
     * no copy of them and is below the held plan (--dataset); a model row of bench networks gets the streamed plan
     * for one party; an unreadable file has no plan (the run reports why).
     */
    @Test
    void streamedInferenceOfAModelPlansNoCopyOfTheWeights() throws Exception {
        java.nio.file.Path f = java.nio.file.Path.of(JvmPlanTest.class.getResource("/onnx/resnet-torchscript.onnx").toURI());
        long streamed = HeapPlan.heapMbForStreamedInference(f, 1, 1), held = HeapPlan.heapMbForModel(f, 1, 1);
        assertThat(streamed).isGreaterThanOrEqualTo(HeapPlan.BASE_MB).isLessThanOrEqualTo(held);
        assertThat(HeapPlan.heapMbForStreamedInference(f, 1, 3)).isEqualTo(3 * streamed);
        assertThat(HeapPlan.heapMbForStreamedInference(f, 64, 1)).isGreaterThan(streamed);
        assertThat(HeapPlan.heapMbForStreamedInference(f.resolveSibling("missing.onnx"), 1, 1)).isZero();
        assertThat(NetworkBench.partyHeapMb(BenchCase.ofModel(f, 1))).as("a bench row masks per product").isEqualTo(streamed);
        long masks = HeapPlan.weightMasksMb(io.securenn.model.onnx.OnnxImporter.importGraph(f).parameterCount(),
                SessionParams.DEFAULT_WEIGHT_MASK_BUDGET);
        assertThat(masks).isPositive();
        assertThat(HeapPlan.heapMbForStreamedInference(f, 1, 3, SessionParams.DEFAULT_WEIGHT_MASK_BUDGET)).isEqualTo(3 * (streamed + masks));
        assertThat(HeapPlan.heapMbForStreamedInference(f, 1, 1, 0)).isEqualTo(streamed);
        assertThat(JvmPlan.heapMbOf("infer", "--model", f.toString(), "--input", "x.npy", "--batch", "1", "--party", "0",
                "--config", "c")).isEqualTo(streamed + masks + HeapPlan.inputMb(f.resolveSibling("x.npy")));
    }

    /**
     * A comparison layer's step holds P2's dealing message for its DReLU, which P1 may hold whole (P2 deals a layer
     * at once; SqueezeNet's 122 MB plan without it ran out at P1): the largest ReLU's step is its input and output
     * three times over (48 bytes per element) and 88 bytes per element of dealing.
     */
    @Test
    void theLargestReluPlansP2sDealingMessage() throws Exception {
        java.nio.file.Path f = java.nio.file.Path.of(JvmPlanTest.class.getResource("/onnx/resnet-torchscript.onnx").toURI());
        io.securenn.model.ModelGraph g = io.securenn.model.onnx.OnnxImporter.importGraph(f);
        long relu = 0;
        for (io.securenn.model.Node n : g.nodes()) if (n.op() instanceof io.securenn.model.Op.Relu) relu = Math.max(relu, n.size());
        assertThat(relu).isPositive();
        for (int batch : new int[] {1, 64}) {
            long stepMb = (long) Math.ceil(HeapPlan.INFERENCE_MARGIN * (48 + 88) * relu * batch / 1e6);
            assertThat(HeapPlan.heapMbForStreamedInference(f, batch, 1)).as("batch " + batch)
                    .isGreaterThanOrEqualTo(HeapPlan.BASE_MB + stepMb);
        }
    }

    /**
     * Stationary weight masks only within the budget: a party keeps 8 bytes per parameter, so ResNet-50's 25.5 M
     * (204 MB) and DenseNet-121's 8 M (64 MB) are masked per product and add nothing; SqueezeNet 1.1's 1.2 M add 10 MB;
     * a budget of 0 (-Dsecurenn.weightMasks=off) adds nothing.
     */
    @Test
    void weightMasksArePlannedOnlyWithinTheBudget() {
        long budget = SessionParams.DEFAULT_WEIGHT_MASK_BUDGET;
        assertThat(HeapPlan.weightMasksMb(25_557_032, budget)).as("ResNet-50").isZero();
        assertThat(HeapPlan.weightMasksMb(7_978_856, budget)).as("DenseNet-121").isZero();
        assertThat(HeapPlan.weightMasksMb(1_235_496, budget)).as("SqueezeNet 1.1").isEqualTo(10);
        assertThat(HeapPlan.weightMasksMb(budget / 8, budget)).as("at the budget").isEqualTo((long) Math.ceil(budget / 1e6));
        assertThat(HeapPlan.weightMasksMb(budget / 8 + 1, budget)).as("one over").isZero();
        assertThat(HeapPlan.weightMasksMb(1_000, 0)).as("off").isZero();
        assertThat(HeapPlan.weightMasksMb(0, budget)).as("no parameters").isZero();
    }

    @Test
    void aServerHasRoomForTwiceAFullBatchAndNoPlanWithHeldShares() {
        for (Architecture a : new Architecture[] {Architecture.A, Architecture.C}) {
            long one = HeapPlan.partyHeapMb(a, 128, false);   // what one party of a batch-128 inference needs
            long masks = HeapPlan.weightMasksMb(a.graph().parameterCount(), SessionParams.DEFAULT_WEIGHT_MASK_BUDGET);
            assertThat(masks).as("network %s: F (or V) of every parameter", a).isPositive();
            long serve = JvmPlan.heapMbOf("serve", "--party", "1", "--config", "c", "--model", a.name());
            assertThat(serve).as("network %s", a).isEqualTo(2 * one + ServeCommand.SERVING_HEADROOM_MB + masks);
            assertThat(JvmPlan.heapMbOf("serve", "--party", "1", "--config", "c", "--model", a.name(), "--max-batch", "512"))
                    .as("network %s, --max-batch 512", a).isGreaterThan(serve);
        }
        assertThat(JvmPlan.heapMbOf("serve", "--party", "1", "--config", "c", "--model-shares", "dir")).isZero();
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
        // the small rows get at least the bench's floor, the large ones their plan
        for (String row : new String[] {"A:inference:1", "A:inference:128", "A:training:128", "D:inference:128"}) {
            BenchCase small = BenchCase.parse(row);
            long plan = HeapPlan.heapMb(small.network(), small.batch(), small.mode() == BenchCase.Mode.TRAINING, 1, false);
            assertThat(plan).as(row).isLessThan(NetworkBench.MIN_ROW_HEAP_MB);
            assertThat(NetworkBench.partyHeapMb(small)).as(row).isEqualTo(NetworkBench.MIN_ROW_HEAP_MB);
        }
        assertThat(NetworkBench.partyHeapMb(c)).isEqualTo(HeapPlan.partyHeapMb(Architecture.C, 128, true))
                .isGreaterThan(NetworkBench.MIN_ROW_HEAP_MB);
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
