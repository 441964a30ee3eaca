package org.distill4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Loads a data set by name ({@code mnist}, {@code fashion-mnist}, {@code cifar10}) or by path.
 * Names win over paths: to load a folder called {@code mnist} in the working directory, pass
 * {@code ./mnist}.
 */
public final class DataSets {
    /** The environment variable that points at a data set folder, or at a parent with one subfolder per name. */
    public static final String ENV = "DISTILL4J_DATA";
    public static final List<String> NAMES = List.of("mnist", "fashion-mnist", "cifar10");

    static final String FASHION_HINT = "install it with `apt-get install dataset-fashion-mnist`, or pass --data DIR"
            + " (or set " + ENV + ") to a folder with its IDX files";
    // Debian packages Fashion-MNIST but not MNIST (`apt-cache search mnist`), so MNIST must be downloaded.
    static final String MNIST_HINT = "download the four MNIST IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,"
            + " t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) into a folder and pass --data DIR (or set " + ENV + ")";

    private DataSets() {
    }

    /**
     * Both splits of a data set (see {@link #load}), normalised per channel with {@code norm}, or
     * with the training split's own mean and std when {@code norm} is null. Every command trains on
     * these: networks learn markedly slower on raw [0, 1] pixels (LeNet on Fashion-MNIST, 10
     * epochs: 88.6% raw, 89.6% normalised).
     */
    public static Splits loadNormalized(String nameOrPath, Path dataDir, Normalization norm) throws IOException {
        ByteImages trainBytes = loadBytes(nameOrPath, true, dataDir);
        if (trainBytes != null) {
            // Byte images (IDX): normalised straight from the bytes, the same bits (see ByteImages).
            ByteImages testBytes = loadBytes(nameOrPath, false, dataDir);
            Dataset testUnit = testBytes == null ? load(nameOrPath, false, dataDir) : null;
            Normalization n = norm != null ? norm : trainBytes.fit();
            Dataset test = testBytes != null ? testBytes.normalized(n) : testUnit.normalized(n);
            return new Splits(trainBytes.normalized(n), test, n);
        }
        Dataset train = load(nameOrPath, true, dataDir);
        Dataset test = load(nameOrPath, false, dataDir);
        Normalization n = norm != null ? norm : Normalization.fit(train);
        return new Splits(train.normalized(n), test.normalized(n), n);
    }

    /**
     * Refuses, before anything is loaded, a data set that is neither a known name nor an existing
     * path (a named set that is not installed is found out when it is loaded, with a hint).
     */
    public static void checkNameOrPath(String nameOrPath) throws IOException {
        if (canonicalName(nameOrPath) == null && !Files.exists(Path.of(nameOrPath))) {
            throw notFound(nameOrPath);
        }
    }

    private static NoSuchFileException notFound(String nameOrPath) {
        return new NoSuchFileException(nameOrPath, null, "not found; a data set is one of " + NAMES
                + " or a path to IDX files, a CIFAR-10 binary folder, a folder with images.npy and labels.npy, or a .csv file");
    }

    /**
     * Loads the training or test split of a named data set, or the data set at a path: a folder of
     * IDX files ({@code train-*} / {@code t10k-*}), a CIFAR-10 binary folder, a folder with
     * {@code images.npy} and {@code labels.npy} (or {@code train/} and {@code test/} subfolders
     * holding them), or a {@code .csv} file (for a single file or folder, {@code train} is ignored).
     * Named data sets have pixels in {@code [0, 1]}. {@code dataDir} (null for
     * {@link #defaultDir}) says where a named set is; it is ignored for paths.
     */
    public static Dataset load(String nameOrPath, boolean train, Path dataDir) throws IOException {
        String name = canonicalName(nameOrPath);
        if (name != null) {
            Path dir = dataDir != null ? locate(dataDir, name) : defaultDir(name);
            return switch (name) {
                case "cifar10" -> Cifar10.read(dir, train);
                case "mnist" -> readIdxFolder(dir, train, name, 10, MNIST_HINT);
                default -> readIdxFolder(dir, train, name, 10, FASHION_HINT);
            };
        }
        Path path = Path.of(nameOrPath);
        if (!Files.exists(path)) {
            throw notFound(nameOrPath);
        }
        if (Files.isRegularFile(path)) {
            if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                return Csv.read(path, null);
            }
            throw new IOException(path + ": unsupported data file; expected a .csv file or a folder");
        }
        String folder = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        if (hasIdx(path, train)) {
            return readIdxFolder(path, train, folder, 0, "");
        }
        if (Cifar10.looksLikeCifar(Cifar10.resolve(path))) {
            return Cifar10.read(path, train);
        }
        if (NpyFolder.looksLikeNpy(path)) {
            return NpyFolder.read(path);
        }
        Path split = path.resolve(train ? "train" : "test");
        if (NpyFolder.looksLikeNpy(split)) {
            return NpyFolder.read(split);
        }
        throw new IOException(path + ": no data set found; expected " + idxNames(train)[0] + " and " + idxNames(train)[1]
                + ", CIFAR-10 batches (data_batch_1.bin, test_batch.bin), or images.npy and labels.npy");
    }

    /**
     * Where a named data set is read from by default: under {@link #ENV} when it is set (that
     * folder, or its subfolder named after the data set when there is one), else
     * {@code /usr/share/datasets/fashion-mnist} (Debian's {@code dataset-fashion-mnist}),
     * {@code /usr/share/datasets/mnist}, or {@code ./data/cifar-10-batches-bin}.
     */
    public static Path defaultDir(String name) {
        return defaultDir(name, System.getenv(ENV));
    }

    /** {@link #defaultDir(String)} with the value of {@link #ENV} given (null or blank: unset). */
    static Path defaultDir(String name, String env) {
        String canonical = canonicalName(name);
        if (canonical == null) {
            throw new IllegalArgumentException("unknown data set name '" + name + "'; known names: " + NAMES);
        }
        if (env != null && !env.isBlank()) {
            return locate(Path.of(env), canonical);
        }
        return switch (canonical) {
            case "cifar10" -> Path.of("data", Cifar10.FOLDER);
            case "mnist" -> Path.of("/usr/share/datasets/mnist");
            default -> Path.of("/usr/share/datasets/fashion-mnist");
        };
    }

    /** The canonical name for {@code s} ("Fashion_MNIST" → "fashion-mnist"), or null when it is no known name. */
    static String canonicalName(String s) {
        String n = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (n) {
            case "mnist" -> "mnist";
            case "fashion-mnist", "fashionmnist" -> "fashion-mnist";
            case "cifar10", "cifar-10" -> "cifar10";
            default -> null;
        };
    }

    /** {@code base}'s subfolder for data set {@code name} when it has one, else {@code base} itself. */
    private static Path locate(Path base, String name) {
        List<String> subfolders = name.equals("cifar10") ? List.of("cifar10", "cifar-10", Cifar10.FOLDER) : List.of(name);
        for (String sub : subfolders) {
            if (Files.isDirectory(base.resolve(sub))) {
                return base.resolve(sub);
            }
        }
        return base;
    }

    private static Dataset readIdxFolder(Path dir, boolean train, String name, int classes, String hint) throws IOException {
        return readIdxBytes(dir, train, name, classes, hint).toUnit();
    }

    private static ByteImages readIdxBytes(Path dir, boolean train, String name, int classes, String hint) throws IOException {
        Path[] files = idxFiles(dir, train);
        return Idx.readBytes(files[0], files[1], name + "/" + (train ? "train" : "test"), classes, hint);
    }

    /**
     * The split as {@link #load} finds it, as bytes, when {@code load} would read IDX files (MNIST,
     * Fashion-MNIST, a folder of IDX files); null for every other kind of data set.
     */
    private static ByteImages loadBytes(String nameOrPath, boolean train, Path dataDir) throws IOException {
        String name = canonicalName(nameOrPath);
        if (name != null) {
            Path dir = dataDir != null ? locate(dataDir, name) : defaultDir(name);
            return switch (name) {
                case "cifar10" -> null;
                case "mnist" -> readIdxBytes(dir, train, name, 10, MNIST_HINT);
                default -> readIdxBytes(dir, train, name, 10, FASHION_HINT);
            };
        }
        Path path = Path.of(nameOrPath);
        if (!Files.isDirectory(path) || !hasIdx(path, train)) {
            return null;
        }
        String folder = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        return readIdxBytes(path, train, folder, 0, "");
    }

    private static boolean hasIdx(Path dir, boolean train) {
        Path[] files = idxFiles(dir, train);
        return Files.isRegularFile(files[0]) && Files.isRegularFile(files[1]);
    }

    /** The usual file names of a split, gzipped: {@code {images, labels}}. */
    private static String[] idxNames(boolean train) {
        String prefix = train ? "train" : "t10k";
        return new String[]{prefix + "-images-idx3-ubyte.gz", prefix + "-labels-idx1-ubyte.gz"};
    }

    /**
     * A split's image and label files in {@code dir}, gzipped or not, in either usual naming; a
     * missing one is given by its gzipped name, so the error names the file to fetch.
     */
    private static Path[] idxFiles(Path dir, boolean train) {
        String prefix = train ? "train" : "t10k";
        String[] gz = idxNames(train);
        Path[] files = new Path[2];
        String[] kinds = {"images-idx3", "labels-idx1"};
        for (int k = 0; k < 2; k++) {
            String base = prefix + "-" + kinds[k] + "-ubyte";
            String dotted = prefix + "-" + kinds[k].replace('-', '.') + "-ubyte";
            Path found = FileBytes.firstExisting(dir, base + ".gz", base, dotted, dotted + ".gz");
            files[k] = found != null ? found : dir.resolve(gz[k]);
        }
        return files;
    }
}
