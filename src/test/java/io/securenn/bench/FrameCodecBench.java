package io.securenn.bench;

import io.securenn.transport.Frame;
import io.securenn.transport.LongCodec;
import org.openjdk.jmh.annotations.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A message of n ring elements to and from its frame as the transport handles it: {@link LongCodec} packs the
 * longs in one bulk copy (PartyContext.sendLongs), the 13-byte header and the payload are written to a stream (as
 * TlsLink's writer does), and read back with the header's length and one bulk read (TlsLink's reader,
 * receiveLongs). Baseline: the same values through DataOutputStream.writeLong / DataInputStream.readLong one
 * element at a time, in the same run. Run: scripts/jmh.sh FrameCodecBench
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FrameCodecBench {
    /** Elements per message: a DReLU exchange over 1024 elements, and a 128×784 E/F matrix. */
    @Param({"1024", "100352"})
    public int n;

    long[] values;
    byte[] frameBytes, dataStreamBytes;
    ByteArrayOutputStream sink;

    @Setup
    public void setup() throws IOException {
        values = new SplittableRandom(1).longs(n).toArray();
        sink = new ByteArrayOutputStream(n * 8 + 64);
        frameBytes = encodeFrame().toByteArray();
        dataStreamBytes = encodeBaselineDataOutputStream().toByteArray();
    }

    @Benchmark
    public ByteArrayOutputStream encodeFrame() throws IOException {
        sink.reset();
        byte[] payload = LongCodec.encode(values);
        ByteBuffer hb = ByteBuffer.allocate(Frame.HEADER_BYTES);
        hb.put(Frame.DATA).putInt(1).putInt(1).putInt(payload.length);
        sink.write(hb.array());
        sink.write(payload);
        return sink;
    }

    @Benchmark
    public ByteArrayOutputStream encodeBaselineDataOutputStream() throws IOException {
        sink.reset();
        DataOutputStream out = new DataOutputStream(sink);
        out.writeByte(Frame.DATA);
        out.writeInt(1);
        out.writeInt(1);
        out.writeInt(n * 8);
        for (long v : values) out.writeLong(v);
        out.flush();
        return sink;
    }

    @Benchmark
    public long[] decodeFrame() throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(frameBytes));
        in.readByte();
        in.readInt();
        in.readInt();
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        return LongCodec.decode(payload);
    }

    @Benchmark
    public long[] decodeBaselineDataInputStream() throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(dataStreamBytes));
        in.readByte();
        in.readInt();
        in.readInt();
        long[] r = new long[in.readInt() / 8];
        for (int i = 0; i < r.length; i++) r[i] = in.readLong();
        return r;
    }
}
