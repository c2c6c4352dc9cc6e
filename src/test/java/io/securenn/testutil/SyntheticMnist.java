package io.securenn.testutil;

import io.securenn.data.Dataset;
import io.securenn.data.Idx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * A small learnable MNIST-like dataset: 28×28 noise (0..39) with a bright horizontal bar whose row encodes the
 * label (row 2·label + 4), so a network can learn it in a few steps.
 */
public final class SyntheticMnist {
    private SyntheticMnist() {}

    public static final int SIZE = 28;

    public static Dataset make(String name, int n, long seed) {
        Seeded s = new Seeded(seed);
        byte[] px = new byte[n * SIZE * SIZE], lb = new byte[n];
        for (int i = 0; i < n; i++) {
            lb[i] = (byte) s.rnd.nextInt(10);
            int base = i * SIZE * SIZE;
            for (int j = 0; j < SIZE * SIZE; j++) px[base + j] = (byte) s.rnd.nextInt(40);
            int row = lb[i] * 2 + 4;
            for (int c = 4; c < SIZE - 4; c++) px[base + row * SIZE + c] = (byte) 255;
        }
        return new Dataset(name, n, SIZE, SIZE, 10, px, lb);
    }

    /** Writes train (nTrain) and test (nTest) sets as the four IDX files into dir, optionally gzipped. */
    public static void write(Path dir, int nTrain, int nTest, long seed, boolean gzip) throws IOException {
        write(dir, "train", make("train", nTrain, seed), gzip);
        write(dir, "t10k", make("test", nTest, seed + 1), gzip);
    }

    private static void write(Path dir, String prefix, Dataset d, boolean gzip) throws IOException {
        int n = d.count();
        byte[] px = new byte[n * SIZE * SIZE], lb = new byte[n];
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        long[] enc = d.imagesFixed(all);
        // recover the bytes from the encodings (p/255 rounded is injective on 0..255)
        long[] table = new long[256];
        for (int p = 0; p < 256; p++) table[p] = io.securenn.ring.FixedPoint.encode(p / 255.0);
        for (int i = 0; i < enc.length; i++) {
            int p = java.util.Arrays.binarySearch(table, enc[i]);
            px[i] = (byte) p;
        }
        for (int i = 0; i < n; i++) lb[i] = (byte) d.label(i);
        byte[] img = Idx.encode(new int[] {n, SIZE, SIZE}, px), lab = Idx.encode(new int[] {n}, lb);
        String ext = gzip ? ".gz" : "";
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte" + ext), gzip ? gz(img) : img);
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte" + ext), gzip ? gz(lab) : lab);
    }

    public static byte[] gz(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(b);
        }
        return out.toByteArray();
    }
}
