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
        if (train.rows() != test.rows() || train.cols() != test.cols()) {
            throw SecureNnException.badInput(name + ": the training images are " + train.rows() + "×" + train.cols()
                    + " but the test images " + test.rows() + "×" + test.cols());
        }
        return new Split(train, test);
    }

    static Dataset load(Path dir, String prefix, String name) {
        Idx.Array images = Idx.read(find(dir, prefix + "-images-idx3-ubyte"), 3);
        Idx.Array labels = Idx.read(find(dir, prefix + "-labels-idx1-ubyte"), 1);
        return Dataset.of(name, images, labels, CLASSES);
    }

    private static Path find(Path dir, String base) {
        Path raw = dir.resolve(base);
        if (Files.isRegularFile(raw)) return raw;
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) return gz;
        throw SecureNnException.badInput(dir + ": missing " + base + " (or " + base + ".gz)");
    }
}
