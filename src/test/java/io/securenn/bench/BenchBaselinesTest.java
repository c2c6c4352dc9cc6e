package io.securenn.bench;

import io.securenn.tensor.ConvGeometry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The JMH benchmarks compare like with like: each kernel and its baseline compute the same result. */
class BenchBaselinesTest {

    @Test
    void naiveIm2colEqualsTheKernel() {
        for (String geometry : new String[] {"2,1,28,5,1,0", "2,20,12,5,1,0", "2,1,28,5,2,2", "1,3,7,3,2,1"}) {
            Im2colBench b = new Im2colBench();
            b.geometry = geometry;
            b.setup();
            assertThat(b.naiveBaseline()).as(geometry).isEqualTo(b.im2col()).isEqualTo(b.g.im2col(b.x));
        }
        ConvGeometry g = new ConvGeometry(1, 1, 3, 3, 3, 1, 1);
        long[] x = new SplittableRandom(3).longs(9).toArray();
        assertThat(Im2colBench.naive(g, x)).isEqualTo(g.im2col(x));
    }

    @Test
    void framesAndDataStreamsRoundTripTheSameValues() throws Exception {
        FrameCodecBench b = new FrameCodecBench();
        b.n = 1000;
        b.setup();
        assertThat(b.decodeFrame()).isEqualTo(b.values);
        assertThat(b.decodeBaselineDataInputStream()).isEqualTo(b.values);
        assertThat(b.encodeFrame().size()).isEqualTo(b.encodeBaselineDataOutputStream().size()).isEqualTo(13 + 8000);
    }

    @Test
    void privateCompareBaselineTouchesAsManyValues() {
        PrivateCompareLocalBench b = new PrivateCompareLocalBench();
        b.n = 64;
        b.setup();
        assertThat(b.maskedShares()).hasSameSizeAs(b.byteLoopBaseline()).hasSize(64 * 64);
        for (byte v : b.maskedShares()) assertThat(v).isBetween((byte) 0, (byte) 66);
    }

    @Test
    void jmhRatiosPairEachKernelWithItsBaseline() {
        List<String> csv = List.of(
                "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\",\"Param: n\"",
                "\"io.securenn.bench.PrgBench.longsBaselineSplittableRandom\",\"thrpt\",1,5,1000.0,10.0,\"ops/s\",65536",
                "\"io.securenn.bench.PrgBench.longsPrg\",\"thrpt\",1,5,250.0,5.0,\"ops/s\",65536",
                "\"io.securenn.bench.PrgBench.modPBaselineSplittableRandom\",\"thrpt\",1,5,100.0,1.0,\"ops/s\",65536",
                "\"io.securenn.bench.PrgBench.modPNonZeroPrg\",\"thrpt\",1,5,300.0,1.0,\"ops/s\",65536",
                "\"io.securenn.bench.Im2colBench.naiveBaseline\",\"avgt\",1,5,30.0,1.0,\"us/op\",",
                "\"io.securenn.bench.Im2colBench.im2col\",\"avgt\",1,5,10.0,1.0,\"us/op\",");
        String md = JmhRatios.markdown(JmhRatios.parse(csv));
        assertThat(md).contains("| PrgBench.longsPrg | n=65536 | 250 | 5.00 | – | ops/s | longsBaselineSplittableRandom | 0.25× |")
                .contains("| PrgBench.modPNonZeroPrg | n=65536 | 300 | 1.00 | – | ops/s | modPBaselineSplittableRandom | 3.00× |")
                .contains("| Im2colBench.im2col |  | 10.0 | 1.00 | – | us/op | naiveBaseline | 3.00× |")
                .contains("| Im2colBench.naiveBaseline |  | 30.0 | 1.00 | – | us/op | (baseline) | – |");
    }

    @Test
    void jmhRatiosTakeTheLongestFamilyThatStartsTheName() {
        List<String> csv = List.of(
                "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\",\"Param: n\"",
                "\"io.securenn.bench.PrgBench.modPBaselineSplittableRandom\",\"thrpt\",1,5,100.0,1.0,\"ops/s\",65536",
                "\"io.securenn.bench.PrgBench.modPPrg\",\"thrpt\",1,5,400.0,1.0,\"ops/s\",65536",
                "\"io.securenn.bench.PrgBench.modPPrgBaselineScalar\",\"thrpt\",1,5,200.0,1.0,\"ops/s\",65536",
                "\"io.securenn.bench.PrgBench.modPNonZeroPrg\",\"thrpt\",1,5,300.0,1.0,\"ops/s\",65536");
        String md = JmhRatios.markdown(JmhRatios.parse(csv));
        assertThat(md).contains("| PrgBench.modPPrg | n=65536 | 400 | 1.00 | – | ops/s | modPPrgBaselineScalar | 2.00× |")
                .contains("| PrgBench.modPNonZeroPrg | n=65536 | 300 | 1.00 | – | ops/s | modPBaselineSplittableRandom | 3.00× |");
    }

    @Test
    void jmhRatiosUseMediansOfSampledRunsAndABaselineServesEveryValueOfAnExtraParameter() {
        String head = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\",\"Param: n\",\"Param: provider\"";
        String t = "\"io.securenn.bench.TransportRoundTripBench.";
        List<String> csv = List.of(head,
                t + "baselinePlainSocket\",\"sample\",1,900,100.0,5.0,\"us/op\",8,",
                t + "baselinePlainSocket:p0.00\",\"sample\",1,1,50.0,NaN,\"us/op\",8,",
                t + "baselinePlainSocket:p0.50\",\"sample\",1,1,80.0,NaN,\"us/op\",8,",
                t + "transport\",\"sample\",1,900,300.0,9.0,\"us/op\",8,jdk",
                t + "transport:p0.50\",\"sample\",1,1,320.0,NaN,\"us/op\",8,jdk",
                t + "transport\",\"sample\",1,900,150.0,9.0,\"us/op\",8,boringssl",
                t + "transport:p0.50\",\"sample\",1,1,160.0,NaN,\"us/op\",8,boringssl");
        String md = JmhRatios.markdown(JmhRatios.parse(csv));
        // the percentile rows are not rows of their own; the ratio is of medians: 80 / 320 and 80 / 160
        assertThat(md.lines().filter(l -> l.startsWith("| TransportRoundTripBench"))).hasSize(3);
        assertThat(md).contains("| TransportRoundTripBench.baselinePlainSocket | n=8 | 100 | 5.00 | 80.0 | us/op | (baseline) | – |")
                .contains("| TransportRoundTripBench.transport | n=8 provider=jdk | 300 | 9.00 | 320 | us/op | baselinePlainSocket | 0.25× |")
                .contains("| TransportRoundTripBench.transport | n=8 provider=boringssl | 150 | 9.00 | 160 | us/op | baselinePlainSocket | 0.50× |");
    }

    @Test
    void theTransportBenchEchoesTheMessageOnEveryProvider() {
        for (String provider : new String[] {"jdk", "boringssl", "none"}) {
            TransportRoundTripBench.Links l = new TransportRoundTripBench.Links();
            l.n = 1000;
            l.provider = provider;
            l.setup();
            try {
                new SplittableRandom(5).nextBytes(l.msg);
                assertThat(new TransportRoundTripBench().transport(l)).as(provider).isEqualTo(l.msg);
            } finally {
                l.tearDown();
            }
        }
    }
}
