package io.securenn.model;

/** The shape of one layer of an {@link Architecture}, independent of any backend. */
public sealed interface LayerSpec {
    int inputSize();

    int outputSize();

    /** Fully connected in → out. */
    record Fc(int in, int out) implements LayerSpec {
        public int inputSize() { return in; }
        public int outputSize() { return out; }
    }

    /** Conv2d on channels×height×width input, outChannels kernels of kernel×kernel. */
    record Conv(int channels, int height, int width, int outChannels, int kernel, int stride, int padding)
            implements LayerSpec {
        public int outHeight() { return (height + 2 * padding - kernel) / stride + 1; }
        public int outWidth() { return (width + 2 * padding - kernel) / stride + 1; }
        public int inputSize() { return channels * height * width; }
        public int outputSize() { return outChannels * outHeight() * outWidth(); }
    }

    /** Max pooling window×window with the given stride. */
    record Pool(int channels, int height, int width, int window, int stride) implements LayerSpec {
        public int inputSize() { return channels * height * width; }
        public int outputSize() { return channels * ((height - window) / stride + 1) * ((width - window) / stride + 1); }
    }

    record ReluSpec(int size) implements LayerSpec {
        public int inputSize() { return size; }
        public int outputSize() { return size; }
    }
}
