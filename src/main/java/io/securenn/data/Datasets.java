package io.securenn.data;

import io.securenn.SecureNnException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the train and test sets named by {@code --dataset}:
 * <ul>
 *   <li>{@code mnist}: {@code $SECURENN_DATA/mnist} if that variable is set, else {@code data/mnist} of the
 *       project (fetched by {@code scripts/fetch-mnist.sh}), else {@code ./data/mnist};</li>
 *   <li>{@code fashion}: Debian's {@code dataset-fashion-mnist} in /usr/share/datasets/fashion-mnist;</li>
 *   <li>any other value: a directory holding the four IDX files.</li>
 * </ul>
 * The files are {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}
 * and {@code t10k-labels-idx1-ubyte}, each raw or with {@code .gz}.
 */
public final class Datasets {
    private Datasets() {}

    public static final Path FASHION_DIR = Paths.get("/usr/share/datasets/fashion-mnist");
    public static final int CLASSES = 10;

    public record Split(Dataset train, Dataset test) {}

    public static Path resolve(String spec) {
        return switch (spec) {
            case "mnist" -> mnistDir();
            case "fashion" -> {
                if (!Files.isDirectory(FASHION_DIR)) {
                    throw SecureNnException.badInput("Fashion-MNIST not found in " + FASHION_DIR
                            + " (install it with: sudo apt-get install dataset-fashion-mnist; or pass --dataset DIR)");
                }
                yield FASHION_DIR;
            }
            default -> {
                Path p = Paths.get(spec);
                if (!Files.isDirectory(p)) {
                    throw SecureNnException.badInput("dataset directory " + p
                            + (Files.exists(p) ? " is not a directory" : " does not exist"));
                }
                yield p;
            }
        };
    }

    static Path mnistDir() {
        String env = System.getenv("SECURENN_DATA");
        if (env != null && !env.isBlank()) return require(Paths.get(env, "mnist"));
        Path project = projectDir();
        if (project != null && Files.isDirectory(project.resolve("data/mnist"))) return project.resolve("data/mnist");
        return require(Paths.get("data", "mnist"));
    }

    private static Path require(Path p) {
        if (!Files.isDirectory(p)) {
            throw SecureNnException.badInput("MNIST not found in " + p + " (run scripts/fetch-mnist.sh first)");
        }
        return p;
    }

    /** The project directory: the parent of target/ holding the running jar or classes, if it can be told. */
    private static Path projectDir() {
        try {
            Path code = Paths.get(Datasets.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = code.getParent();
            return target != null && target.getFileName() != null && target.getFileName().toString().equals("target")
                    ? target.getParent() : null;
        } catch (Exception e) {
            return null;
        }
    }

    public static Split load(String spec) {
        Path dir = resolve(spec);
        String name = spec.equals("mnist") || spec.equals("fashion") ? spec : dir.toString();
        Dataset train = load(dir, "train", name + " (train)"), test = load(dir, "t10k", name + " (test)");
        if (!java.util.Arrays.equals(train.imageShape(), test.imageShape())) {
            throw SecureNnException.badInput(name + ": the training images are " + shape(train) + " but the test images " + shape(test));
        }
        int k = Math.max(train.classes(), test.classes());
        return new Split(train.withClasses(k), test.withClasses(k));
    }

    /** H×W for one channel (MNIST's), C×H×W otherwise. */
    static String shape(Dataset d) {
        return (d.channels() == 1 ? "" : d.channels() + "×") + d.rows() + "×" + d.cols();
    }

    static Dataset load(Path dir, String prefix, String name) {
        String npyPrefix = prefix.equals("t10k") ? "test" : prefix;
        Path npyImages = dir.resolve(npyPrefix + "-images.npy");
        if (Files.isRegularFile(npyImages)) return loadNpy(npyImages, dir.resolve(npyPrefix + "-labels.npy"), name);
        Path idx4 = dir.resolve(prefix + "-images-idx4-ubyte");
        boolean rank4 = Files.isRegularFile(idx4) || Files.isRegularFile(dir.resolve(prefix + "-images-idx4-ubyte.gz"));
        Idx.Array images = rank4 ? Idx.read(find(dir, prefix + "-images-idx4-ubyte"), 4)
                : Idx.read(find(dir, prefix + "-images-idx3-ubyte"), 3);
        Idx.Array labels = Idx.read(find(dir, prefix + "-labels-idx1-ubyte"), 1);
        // MNIST-shaped directories (N×H×W images) have MNIST's 10 classes: a label past 9 is an error naming it
        return Dataset.of(name, images, labels, rank4 ? classesOf(labels.data()) : CLASSES);
    }

    /** The classes of a dataset: 10 (MNIST's and Fashion-MNIST's), or more when a label says so. */
    private static int classesOf(byte[] labels) {
        int max = CLASSES - 1;
        for (byte b : labels) max = Math.max(max, b & 0xff);
        return max + 1;
    }

    /**
     * NPY images [N, H, W] or [N, C, H, W] (uint8 scaled by 1/255, or real values as given) and labels [N] (integers
     * 0..255).
     */
    static Dataset loadNpy(Path imagesFile, Path labelsFile, String name) {
        if (!Files.isRegularFile(labelsFile)) throw SecureNnException.badInput(name + ": missing " + labelsFile.getFileName());
        Npy.Array im = Npy.read(imagesFile), lb = Npy.read(labelsFile);
        int[] s = im.shape();
        if (s.length != 3 && s.length != 4) {
            throw SecureNnException.badInput(imagesFile.getFileName() + ": images must be [N, H, W] or [N, C, H, W], not " + java.util.Arrays.toString(s));
        }
        if (lb.shape().length != 1 || lb.shape()[0] != s[0]) {
            throw SecureNnException.badInput(labelsFile.getFileName() + ": labels must be [" + s[0] + "], not " + java.util.Arrays.toString(lb.shape()));
        }
        int[] l = lb.ints(labelsFile.getFileName().toString());
        byte[] labels = new byte[l.length];
        for (int i = 0; i < l.length; i++) {
            if (l[i] < 0 || l[i] > 255) throw SecureNnException.badInput(labelsFile.getFileName() + ": label " + l[i] + " of image " + i + " is not a class 0..255");
            labels[i] = (byte) l[i];
        }
        int c = s.length == 4 ? s[1] : 1;
        double[] v = im.scaled();
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i]) || Math.abs(v[i]) > 1 << 20) {
                throw SecureNnException.badInput(imagesFile.getFileName() + ": value " + i + " is not a finite number below 2^20");
            }
            f[i] = (float) v[i];
        }
        return new Dataset(name, s[0], c, s[s.length - 2], s[s.length - 1], classesOf(labels), null, f, labels);
    }

    private static Path find(Path dir, String base) {
        Path raw = dir.resolve(base);
        if (Files.isRegularFile(raw)) return raw;
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) return gz;
        throw SecureNnException.badInput(dir + ": missing " + base + " (or " + base + ".gz)");
    }
}
