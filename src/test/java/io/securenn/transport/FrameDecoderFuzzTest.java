package io.securenn.transport;

import io.securenn.SecureNnException;
import io.securenn.testutil.Mutator;
import io.securenn.testutil.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The frame decoder of the TLS links ({@link FrameReader}) and the transport's inbound checks
 * ({@link FramedTransport#deliver}) on valid and on mutated byte streams: a valid stream decodes to exactly the
 * frames written; a mutated one ends in frames, a clean end, or a {@link PeerFailure} naming the peer, never in
 * another exception, a hang, or an allocation the bytes on the wire do not pay for.
 */
@Timeout(60)
class FrameDecoderFuzzTest {
    static final int CASES = 20_000;
    static final int PEER = 1;
    private static final Set<SecureNnException.Kind> PEER_KINDS = Set.of(SecureNnException.Kind.PEER_LOST,
            SecureNnException.Kind.PEER_MISBEHAVED, SecureNnException.Kind.BAD_INPUT);

    /** A plausible stream from P1 to P0: numbered DATA frames, heartbeats, maybe an ABORT or a final BYE. */
    static List<Frame> validFrames(SplittableRandom r) {
        List<Frame> fs = new ArrayList<>();
        int data = 1 + r.nextInt(6), seq = 0;
        for (int i = 0; i < data; i++) {
            if (r.nextInt(3) == 0) fs.add(new Frame(Frame.HEARTBEAT, 0, 0, new byte[0]));
            byte[] p = new byte[r.nextInt(4) == 0 ? 0 : 8 * r.nextInt(1, 7)];
            r.nextBytes(p);
            fs.add(new Frame(Frame.DATA, ++seq, 1 + i, p));
        }
        switch (r.nextInt(3)) {
            case 0 -> fs.add(new Frame(Frame.ABORT, 0, 0, new byte[] {(byte) r.nextInt(3), (byte) r.nextInt(6)}));
            case 1 -> fs.add(new Frame(Frame.BYE, 0, 0, new byte[0]));
            default -> { }
        }
        return fs;
    }

    static byte[] encode(List<Frame> fs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] h = new byte[Frame.HEADER_BYTES];
        for (Frame f : fs) {
            FrameReader.encodeHeader(f, h);
            out.writeBytes(h);
            out.writeBytes(f.payload());
        }
        return out.toByteArray();
    }

    /** A stream that hands out at most a few bytes per read, as a network does. */
    static InputStream trickle(byte[] b, SplittableRandom r) {
        return new ByteArrayInputStream(b) {
            @Override
            public synchronized int read(byte[] buf, int off, int len) {
                return super.read(buf, off, Math.min(len, 1 + r.nextInt(7)));
            }
        };
    }

    @Test
    void validStreamsDecodeToTheFramesWritten() throws IOException {
        Seeded s = Seeded.fromEnvOr(2101);
        for (int c = 0; c < 2_000; c++) {
            List<Frame> fs = validFrames(s.rnd);
            FrameReader r = new FrameReader(trickle(encode(fs), s.rnd), PEER, FramedTransport.DEFAULT_MAX_FRAME, () -> { });
            for (Frame want : fs) {
                Frame got = r.next();
                assertThat(got).as(s.msg("case " + c)).isNotNull();
                assertThat(got.type()).isEqualTo(want.type());
                assertThat(got.seq()).isEqualTo(want.seq());
                assertThat(got.depth()).isEqualTo(want.depth());
                assertThat(got.payload()).isEqualTo(want.payload());
            }
            assertThat(r.next()).as(s.msg("clean end after case " + c)).isNull();
        }
    }

    @Test
    void mutatedStreamsEndInFramesOrAPeerFailure() {
        Seeded s = Seeded.fromEnvOr(2102);
        Mutator m = new Mutator(s.rnd);
        int failures = 0, frames = 0;
        for (int c = 0; c < CASES; c++) {
            byte[] input = m.mutate(encode(validFrames(s.rnd)));
            // half with the default 1 GiB limit (hostile lengths must not allocate), half with a small one
            int limit = c % 2 == 0 ? FramedTransport.DEFAULT_MAX_FRAME : 64;
            FramedTransport t = new FramedTransport(0, Duration.ofSeconds(10), limit);
            FrameReader r = new FrameReader(c % 3 == 0 ? trickle(input, s.rnd) : new ByteArrayInputStream(input), PEER,
                    limit, () -> { });
            String what = s.msg("case " + c);
            try {
                for (Frame f; (f = r.next()) != null; ) {
                    t.deliver(PEER, f);
                    frames++;
                }
            } catch (PeerFailure e) {
                failures++;
                assertThat(e.lostParty()).as(what).isEqualTo(PEER);
                assertOneLinePeerFailure(e, what);
            } catch (Throwable e) {
                throw new AssertionError(what + ": " + e, e);
            }
            PeerFailure f = t.failure();
            if (f != null) assertOneLinePeerFailure(f, what);
            t.abortWithoutNotice();
        }
        // the mutations reach both outcomes (a fuzzer that only ever fails at the first byte tests nothing)
        assertThat(failures).as(s.msg("decoder failures")).isBetween(CASES / 20, CASES - CASES / 20);
        assertThat(frames).as(s.msg("frames delivered")).isGreaterThan(CASES);
    }

    private static void assertOneLinePeerFailure(PeerFailure e, String what) {
        assertThat(e.kind()).as(what).isIn(PEER_KINDS);
        assertThat(e.lostParty()).as(what).isBetween(0, 2);
        assertThat(e.getMessage()).as(what).isNotBlank().doesNotContain("\n");
    }

    @Test
    void aHugeAnnouncedLengthAllocatesOnlyWhatArrives() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int limit = FramedTransport.DEFAULT_MAX_FRAME;
        byte[] h = new byte[Frame.HEADER_BYTES];
        FrameReader.encodeHeader(new Frame(Frame.DATA, 1, 1, new byte[0]), h);
        h[9] = 0x3f; // length 0x3f000000: about 1 GiB, under the limit
        byte[] stream = new byte[h.length + 4096];
        System.arraycopy(h, 0, stream, 0, h.length);
        long before = mx.getCurrentThreadAllocatedBytes();
        PeerFailure f = catchThrowableOfType(PeerFailure.class,
                () -> new FrameReader(new ByteArrayInputStream(stream), PEER, limit, () -> { }).next());
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(f.kind()).isEqualTo(SecureNnException.Kind.PEER_LOST);
        assertThat(f.getMessage()).isEqualTo("lost peer P1: connection closed in the middle of a frame");
        assertThat(allocated).as("bytes allocated for a 4 KiB frame announced as 1 GiB").isLessThan(8L << 20);
    }

    @Test
    void framesLongerThanTheFirstChunkGrowCorrectly() throws IOException {
        Seeded s = Seeded.fromEnvOr(2103);
        byte[] p = new byte[3 * FrameReader.FIRST_CHUNK + 12345];
        s.rnd.nextBytes(p);
        Frame f = new Frame(Frame.DATA, 1, 1, p);
        FrameReader r = new FrameReader(new ByteArrayInputStream(encode(List.of(f, f))), PEER,
                FramedTransport.DEFAULT_MAX_FRAME, () -> { });
        assertThat(r.next().payload()).isEqualTo(p);
        assertThat(r.next().payload()).isEqualTo(p);
        assertThat(r.next()).isNull();
    }
}
