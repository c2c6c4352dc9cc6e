package io.securenn.model.onnx;

import com.google.protobuf.ByteString;
import io.securenn.model.onnx.proto.Onnx.TensorProto;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Initializer decoding: every element type in raw_data and in the typed fields gives the same values. */
class ConstTest {
    private static final double[] V = {1.5, -2.25, 0, 3};

    private static TensorProto.Builder t(int type) {
        return TensorProto.newBuilder().setName("t").setDataType(type).addDims(2).addDims(2);
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static double[] floats(TensorProto t) {
        return Const.of(t, "t", "initializer 't'").floats();
    }

    @Test
    void floatTypesRawAndTyped() {
        ByteBuffer f = le(16), d = le(32), h = le(8), bf = le(8);
        TensorProto.Builder ft = t(Const.FLOAT), dt = t(Const.DOUBLE), ht = t(Const.FLOAT16), bt = t(Const.BFLOAT16);
        for (double v : V) {
            f.putFloat((float) v);
            d.putDouble(v);
            h.putShort(Float.floatToFloat16((float) v));
            bf.putShort((short) (Float.floatToIntBits((float) v) >>> 16));
            ft.addFloatData((float) v);
            dt.addDoubleData(v);
            ht.addInt32Data(Float.floatToFloat16((float) v) & 0xffff);
            bt.addInt32Data(Float.floatToIntBits((float) v) >>> 16);
        }
        assertThat(floats(t(Const.FLOAT).setRawData(ByteString.copyFrom(f.array())).build())).containsExactly(V);
        assertThat(floats(t(Const.DOUBLE).setRawData(ByteString.copyFrom(d.array())).build())).containsExactly(V);
        assertThat(floats(t(Const.FLOAT16).setRawData(ByteString.copyFrom(h.array())).build())).containsExactly(V);
        assertThat(floats(t(Const.BFLOAT16).setRawData(ByteString.copyFrom(bf.array())).build())).containsExactly(V);
        for (TensorProto.Builder b : new TensorProto.Builder[] {ft, dt, ht, bt}) assertThat(floats(b.build())).containsExactly(V);
    }

    @Test
    void integerTypes() {
        ByteBuffer i64 = le(32), i32 = le(16), u8 = le(4);
        for (long v : new long[] {-1, 7, 0, 255}) {
            i64.putLong(v);
            i32.putInt((int) v);
            u8.put((byte) v);
        }
        assertThat(Const.of(t(Const.INT64).setRawData(ByteString.copyFrom(i64.array())).build(), null, "x").ints()).containsExactly(-1, 7, 0, 255);
        assertThat(Const.of(t(Const.INT32).setRawData(ByteString.copyFrom(i32.array())).build(), null, "x").ints()).containsExactly(-1, 7, 0, 255);
        assertThat(Const.of(t(Const.UINT8).setRawData(ByteString.copyFrom(u8.array())).build(), null, "x").ints()).containsExactly(255, 7, 0, 255);
        assertThat(Const.of(t(Const.INT64).addInt64Data(-1).addInt64Data(7).addInt64Data(0).addInt64Data(255).build(), null, "x").floats())
                .containsExactly(-1, 7, 0, 255);
    }

    @Test
    void refusals() {
        assertThatThrownBy(() -> Const.of(t(8).build(), null, "initializer 's'")).hasMessage(
                "initializer 's' has element type string (supported: float, double, float16, bfloat16 and integer tensors)");
        assertThatThrownBy(() -> Const.of(t(Const.FLOAT).setRawData(ByteString.copyFrom(new byte[15])).build(), null, "initializer 'w'"))
                .hasMessage("initializer 'w' declares dimensions [2, 2] (4 values) but holds 15 raw bytes");
        assertThatThrownBy(() -> Const.of(t(Const.FLOAT).clearDims().addDims(-3).build(), null, "initializer 'w'"))
                .hasMessage("initializer 'w' has a negative dimension -3");
    }
}
