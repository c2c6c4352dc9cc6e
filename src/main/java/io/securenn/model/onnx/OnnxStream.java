package io.securenn.model.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import io.securenn.model.onnx.proto.Onnx.GraphProto;
import io.securenn.model.onnx.proto.Onnx.ModelProto;
import io.securenn.model.onnx.proto.Onnx.TensorProto;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads an ONNX file without holding its weights (issue 15: a share of ResNet-50's weights is 204 MB, the file
 * 102 MB). The file is parsed from a stream; each initializer is parsed alone, checked ({@link Const#of}) and,
 * unless it is small (shape constants, {@link #INLINE_BYTES}), replaced by a {@link Const#reloadable} that reads
 * its bytes again from the file at its offset whenever it is decoded. The graph handed to the importer keeps each
 * initializer's name, type and dimensions only. So an import holds the graph and one weight at a time.
 */
final class OnnxStream {
    private OnnxStream() {}

    /** Initializers whose stored form is at most this many bytes are kept in memory (and decoded once). */
    static final int INLINE_BYTES = 1 << 16;

    private static final int MODEL_GRAPH = 7 << 3 | 2, GRAPH_INITIALIZER = 5 << 3 | 2;

    /**
     * The model with its graph's initializers stripped to names, types and dimensions, and each initializer as a
     * checked {@link Const} or the refusal its check gave (thrown by the importer where it would have thrown it).
     */
    record Parsed(ModelProto model, Map<String, Object> initializers) {}

    /** Parses the file (throws InvalidProtocolBufferException for anything that is not a protobuf message). */
    static Parsed read(Path file, int inlineBytes) throws IOException {
        Map<String, Object> inits = new HashMap<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            InputStream is = new BufferedInputStream(Channels.newInputStream(ch), 1 << 16);
            CodedInputStream in = CodedInputStream.newInstance(is);
            in.setSizeLimit(Integer.MAX_VALUE);
            in.setRecursionLimit(200);
            ByteString.Output rest = ByteString.newOutput();
            CodedOutputStream restOut = CodedOutputStream.newInstance(rest);
            GraphProto.Builder graph = null;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == MODEL_GRAPH) {
                    if (graph == null) graph = GraphProto.newBuilder();
                    int len = in.readRawVarint32();
                    int old = in.pushLimit(len);
                    readGraph(in, graph, inits, file, inlineBytes);
                    in.popLimit(old);
                } else if (!in.skipField(tag, restOut)) {
                    break;
                }
            }
            restOut.flush();
            ModelProto.Builder m = ModelProto.parseFrom(rest.toByteString()).toBuilder();
            if (graph != null) m.setGraph(graph.build());
            return new Parsed(m.build(), inits);
        }
    }

    private static void readGraph(CodedInputStream in, GraphProto.Builder graph, Map<String, Object> inits, Path file,
                                  int inlineBytes) throws IOException {
        ByteString.Output rest = ByteString.newOutput();
        CodedOutputStream restOut = CodedOutputStream.newInstance(rest);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag != GRAPH_INITIALIZER) {
                if (!in.skipField(tag, restOut)) break;
                continue;
            }
            int len = in.readRawVarint32();
            long at = in.getTotalBytesRead();
            int old = in.pushLimit(len);
            TensorProto.Builder tb = TensorProto.newBuilder();
            tb.mergeFrom(in, ExtensionRegistryLite.getEmptyRegistry());
            in.popLimit(old);
            TensorProto t = tb.build();
            String name = t.getName();
            graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(t.getDataType()).addAllDims(t.getDimsList()));
            if (name.isEmpty() || inits.containsKey(name)) continue;   // the importer refuses both
            Object c;
            try {
                Const k = Const.of(t, name, "initializer '" + OnnxImporter.clean(name) + "'");
                c = len <= inlineBytes ? k : Const.reloadable(k, () -> reread(file, at, len));
            } catch (OnnxImporter.Refusal r) {
                c = r;
            }
            inits.put(name, c);
        }
        restOut.flush();
        graph.mergeFrom(GraphProto.parseFrom(rest.toByteString()));
    }

    /** One initializer's message, read again from the file. */
    private static TensorProto reread(Path file, long at, int len) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(len);
            while (b.hasRemaining()) {
                if (ch.read(b, at + b.position()) < 0) throw new IOException("the file became shorter");
            }
            b.flip();
            return TensorProto.parseFrom(b);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxImporter.Refusal("the file changed while it was read (an initializer no longer parses)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
