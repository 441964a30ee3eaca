package org.distill4j.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.distill4j.coreset.Selection;
import org.distill4j.io.Provenance;

/**
 * The data a job selects from, as an RDD of {@link Example}s with what a selection file records of
 * them: from a Spark {@code Dataset<Row>} (columns {@code id}, {@code label}, {@code features} and
 * optionally {@code score} and {@code probabilities}), from Parquet with those columns, or from
 * NumPy files: a folder of {@code images.npy} ({@code [N, D]} float32/float64) and {@code labels.npy}
 * (int32/int64), or a folder of such folders (shards, taken in name order, ids running on).
 */
public final class SparkInput {
    /** Rows per task when reading NumPy shards. */
    static final int ROWS_PER_SLICE = 1 << 16;

    final JavaRDD<Example> rows;
    final Selection.DataRecord record;

    SparkInput(JavaRDD<Example> rows, Selection.DataRecord record) {
        this.rows = rows;
        this.record = record;
    }

    public JavaRDD<Example> rows() {
        return rows;
    }

    public Selection.DataRecord record() {
        return record;
    }

    /**
     * From a {@code Dataset<Row>}. {@code label} may be missing (or null) when no class balance is
     * asked: such rows are written as class 0. The fingerprint is order-independent: the sum modulo 2^256 of each row's
     * SHA-256 over its id (int64), label (int32) and features (float32), little-endian, hashed once more.
     */
    public static SparkInput of(Dataset<Row> data, String name) {
        StructType schema = data.schema();
        List<String> columns = Arrays.asList(schema.fieldNames());
        for (String required : List.of("id", "features")) {
            if (!columns.contains(required)) {
                throw new IllegalArgumentException("the data have no '" + required + "' column (columns: "
                        + String.join(", ", columns) + "; expected id, label, features and optionally score, probabilities)");
            }
        }
        checkArray(schema, "features");
        if (columns.contains("probabilities")) {
            checkArray(schema, "probabilities");
        }
        int id = schema.fieldIndex("id");
        int label = columns.contains("label") ? schema.fieldIndex("label") : -1;
        int features = schema.fieldIndex("features");
        int score = columns.contains("score") ? schema.fieldIndex("score") : -1;
        int probabilities = columns.contains("probabilities") ? schema.fieldIndex("probabilities") : -1;
        JavaRDD<Example> rows = data.javaRDD().map(r -> new Example(((Number) r.get(id)).longValue(),
                label < 0 ? -1 : r.isNullAt(label) ? -1 : ((Number) r.get(label)).intValue(), floats(r, features),
                score < 0 || r.isNullAt(score) ? Double.NaN : ((Number) r.get(score)).doubleValue(),
                probabilities < 0 ? null : floats(r, probabilities)));
        long count = rows.count();
        String sha = multisetFingerprint(rows);
        return new SparkInput(rows, new Selection.DataRecord(name, count, sha, "the sum modulo 2^256 of each row's SHA-256"
                + " over its id (int64), label (int32) and features (float32), little-endian, hashed again with SHA-256"));
    }

    /** Parquet with the columns of {@link #of}. */
    public static SparkInput parquet(SparkSession spark, Path path) {
        return of(spark.read().parquet(path.toString()), path.getFileName().toString());
    }

    private static void checkArray(StructType schema, String column) {
        StructField f = schema.fields()[schema.fieldIndex(column)];
        DataType t = f.dataType();
        if (!(t instanceof ArrayType a) || !(a.elementType().equals(DataTypes.FloatType)
                || a.elementType().equals(DataTypes.DoubleType))) {
            throw new IllegalArgumentException("column '" + column + "' must be an array of float or double, got "
                    + t.simpleString());
        }
    }

    private static float[] floats(Row r, int column) {
        if (r.isNullAt(column)) {
            return null;
        }
        List<Object> values = r.getList(column);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = values.get(i);
            out[i] = v == null ? Float.NaN : ((Number) v).floatValue();
        }
        return out;
    }

    private static String multisetFingerprint(JavaRDD<Example> rows) {
        byte[] sum = rows.map(e -> {
            MessageDigest md = Provenance.sha256();
            ByteBuffer b = ByteBuffer.allocate(12 + 4 * (e.features == null ? 0 : e.features.length))
                    .order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(e.id).putInt(e.label);
            if (e.features != null) {
                for (float v : e.features) {
                    b.putFloat(v);
                }
            }
            return md.digest(b.array());
        }).fold(new byte[32], SparkInput::add256);
        return HexFormat.of().formatHex(Provenance.sha256().digest(sum));
    }

    /** a + b modulo 2^256, big-endian: commutative and associative, so any partitioning gives the same sum. */
    static byte[] add256(byte[] a, byte[] b) {
        byte[] out = new byte[32];
        int carry = 0;
        for (int i = 31; i >= 0; i--) {
            int s = (a[i] & 0xFF) + (b[i] & 0xFF) + carry;
            out[i] = (byte) s;
            carry = s >>> 8;
        }
        return out;
    }

    // ---- NumPy files ----

    /** One {@code .npy} file's layout: where the data start, the dtype and the shape. */
    record Npy(String path, long offset, char kind, int itemSize, long rows, int columns) implements java.io.Serializable {
        long rowBytes() {
            return (long) itemSize * columns;
        }
    }

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=])([fiu])(\\d+)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    static Npy header(Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw new IOException(p + ": missing (a data set folder holds images.npy and labels.npy)");
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] start = in.readNBytes(10);
            if (start.length < 10 || start[0] != (byte) 0x93 || start[1] != 'N' || start[2] != 'U') {
                throw new IOException(p + ": not a .npy file");
            }
            int major = start[6];
            long headerLength;
            long offset;
            if (major == 1) {
                headerLength = (start[8] & 0xFF) | (start[9] & 0xFF) << 8;
                offset = 10;
            } else {
                byte[] more = in.readNBytes(2);
                headerLength = (start[8] & 0xFFL) | (start[9] & 0xFFL) << 8 | (more[0] & 0xFFL) << 16 | (more[1] & 0xFFL) << 24;
                offset = 12;
            }
            String h = new String(in.readNBytes((int) headerLength), StandardCharsets.ISO_8859_1);
            Matcher d = DESCR.matcher(h);
            Matcher o = ORDER.matcher(h);
            Matcher s = SHAPE.matcher(h);
            if (!d.find() || !o.find() || !s.find()) {
                throw new IOException(p + ": unreadable .npy header " + h.trim());
            }
            if (d.group(1).equals(">")) {
                throw new IOException(p + ": big-endian data; write little-endian (numpy's default)");
            }
            if (o.group(1).equals("True")) {
                throw new IOException(p + ": Fortran order; write C order (numpy's default)");
            }
            long[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(x -> !x.isEmpty())
                    .mapToLong(Long::parseLong).toArray();
            long rows = shape.length == 0 ? 1 : shape[0];
            long columns = 1;
            for (int i = 1; i < shape.length; i++) {
                columns *= shape[i];
            }
            return new Npy(p.toString(), offset + headerLength, d.group(2).charAt(0), Integer.parseInt(d.group(3)), rows, (int) columns);
        }
    }

    /** The shard folders under {@code dir}: itself when it holds images.npy, else its subfolders that do, in name order. */
    static List<Path> shards(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve("images.npy"))) {
            return List.of(dir);
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": not found; expected a folder of images.npy and labels.npy, a folder of such"
                    + " folders, or Parquet");
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> found = s.filter(p -> Files.isRegularFile(p.resolve("images.npy"))).sorted().toList();
            if (found.isEmpty()) {
                throw new IOException(dir + ": no images.npy in it or in its subfolders");
            }
            return found;
        }
    }

    /** One task's share of a shard: rows {@code [from, to)}. */
    record Slice(Npy images, Npy labels, long firstId, long from, long to) implements java.io.Serializable {
    }

    /** A folder of images.npy + labels.npy, or a folder of such shards; the fingerprint is the one {@code select} records. */
    public static SparkInput npy(JavaSparkContext sc, Path dir, int partitions) throws IOException {
        List<Slice> slices = new ArrayList<>();
        long id = 0;
        int width = -1;
        List<Npy[]> files = new ArrayList<>();
        for (Path shard : shards(dir)) {
            Npy x = header(shard.resolve("images.npy"));
            Npy y = header(shard.resolve("labels.npy"));
            if (x.kind != 'f' || (x.itemSize != 4 && x.itemSize != 8)) {
                throw new IllegalArgumentException(x.path + ": features must be float32 or float64, got " + x.kind + x.itemSize);
            }
            if (y.kind != 'i' && y.kind != 'u' || y.columns != 1 || y.rows != x.rows) {
                throw new IllegalArgumentException(y.path + ": expected " + x.rows + " integer labels, got " + y.kind + y.itemSize
                        + " with " + y.rows + " rows of " + y.columns);
            }
            if (width >= 0 && x.columns != width) {
                throw new IllegalArgumentException(x.path + ": rows of " + x.columns + " features, but earlier shards have "
                        + width + "; every row must have the same width");
            }
            width = x.columns;
            for (long from = 0; from < x.rows; from += ROWS_PER_SLICE) {
                slices.add(new Slice(x, y, id, from, Math.min(x.rows, from + ROWS_PER_SLICE)));
            }
            files.add(new Npy[]{x, y});
            id += x.rows;
        }
        JavaRDD<Example> rows = sc.parallelize(slices, Math.max(1, Math.min(slices.size(), partitions > 0 ? partitions
                : sc.defaultParallelism()))).flatMap(s -> read(s).iterator());
        String name = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
        return new SparkInput(rows, new Selection.DataRecord(name, id, fingerprint(files),
                "the images as float32, then the labels as int32, little-endian, as the data set holds them"));
    }

    static List<Example> read(Slice s) throws IOException {
        int n = (int) (s.to - s.from);
        int d = s.images.columns;
        ByteBuffer xb = map(s.images, s.from, n);
        ByteBuffer yb = map(s.labels, s.from, n);
        List<Example> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] f = new float[d];
            for (int j = 0; j < d; j++) {
                f[j] = s.images.itemSize == 4 ? xb.getFloat() : (float) xb.getDouble();
            }
            long label = s.labels.itemSize == 8 ? yb.getLong() : s.labels.itemSize == 4 ? yb.getInt()
                    : s.labels.itemSize == 2 ? yb.getShort() : yb.get();
            out.add(new Example(s.firstId + s.from + i, (int) label, f, Double.NaN, null));
        }
        return out;
    }

    private static ByteBuffer map(Npy f, long fromRow, int rows) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(f.path, "r"); FileChannel ch = raf.getChannel()) {
            ByteBuffer b = ByteBuffer.allocate((int) (rows * f.rowBytes())).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, f.offset + fromRow * f.rowBytes());
            b.flip();
            return b;
        }
    }

    /** SHA-256 of every shard's features as float32, then every shard's labels as int32, little-endian: Dataset.fingerprint's bytes. */
    private static String fingerprint(List<Npy[]> files) throws IOException {
        MessageDigest md = Provenance.sha256();
        for (int part = 0; part < 2; part++) {
            for (Npy[] pair : files) {
                Npy f = pair[part];
                boolean asIs = part == 0 ? f.itemSize == 4 : f.itemSize == 4 && f.kind == 'i';
                long chunkRows = Math.max(1, (1 << 22) / f.rowBytes());
                for (long r = 0; r < f.rows; r += chunkRows) {
                    int n = (int) Math.min(chunkRows, f.rows - r);
                    ByteBuffer b = map(f, r, n);
                    if (asIs) {
                        md.update(b);
                        continue;
                    }
                    ByteBuffer c = ByteBuffer.allocate(n * f.columns * 4).order(ByteOrder.LITTLE_ENDIAN);
                    for (long i = 0; i < (long) n * f.columns; i++) {
                        if (part == 0) {
                            c.putFloat((float) b.getDouble());
                        } else {
                            c.putInt((int) (f.itemSize == 8 ? b.getLong() : f.itemSize == 2 ? b.getShort() : b.get()));
                        }
                    }
                    md.update(c.array());
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
