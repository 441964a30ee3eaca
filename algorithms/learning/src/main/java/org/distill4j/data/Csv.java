package org.distill4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.distill4j.tensor.Shape;
import org.distill4j.tensor.Tensor;

/**
 * Comma-separated rows of features followed by an integer label, with an optional header line
 * (recognised by a label column that is not a number). Features are kept as they are, not
 * rescaled; the number of classes is the largest label plus one. No quoting: every field is a
 * plain number.
 */
public final class Csv {
    private Csv() {
    }

    /**
     * Reads {@code csv}; each row's features are reshaped to {@code imageShape} ({@code [C, H, W]}),
     * or to {@code [1, 1, F]} when it is null.
     */
    public static Dataset read(Path csv, int[] imageShape) throws IOException {
        if (imageShape != null && (imageShape.length != 3 || Arrays.stream(imageShape).anyMatch(s -> s <= 0))) {
            throw new IllegalArgumentException("image shape must be three positive sizes [C, H, W], got "
                    + Arrays.toString(imageShape));
        }
        if (!Files.isRegularFile(csv)) {
            throw FileBytes.missing(csv, "");
        }
        float[] features = new float[1024];
        int[] labels = new int[64];
        int rows = 0;
        int width = -1;
        int maxLabel = 0;
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            boolean first = true;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (first && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(",", -1);
                if (first) {
                    first = false;
                    width = fields.length - 1;
                    if (width < 1) {
                        throw new IOException(csv + ":" + lineNo + ": expected at least one feature and a label, found "
                                + fields.length + " column(s)");
                    }
                    if (isHeader(fields)) {
                        continue;
                    }
                }
                if (fields.length != width + 1) {
                    throw new IOException(csv + ":" + lineNo + ": " + fields.length + " columns, expected " + (width + 1)
                            + " (" + width + " features and a label)");
                }
                if ((long) (rows + 1) * width > Integer.MAX_VALUE - 64) {
                    throw new IOException(csv + ": too many values for one tensor at line " + lineNo);
                }
                if ((rows + 1) * width > features.length) {
                    features = Arrays.copyOf(features, (int) Math.min(Integer.MAX_VALUE - 64,
                            Math.max(2L * features.length, (long) (rows + 1) * width)));
                }
                if (rows == labels.length) {
                    labels = Arrays.copyOf(labels, 2 * labels.length);
                }
                for (int j = 0; j < width; j++) {
                    features[rows * width + j] = number(fields[j], csv, lineNo, j + 1);
                }
                labels[rows] = label(fields[width], csv, lineNo, width + 1);
                maxLabel = Math.max(maxLabel, labels[rows]);
                rows++;
            }
        }
        if (rows == 0) {
            throw new IOException(csv + ": no data rows");
        }
        int[] shape = imageShape == null ? new int[]{1, 1, width} : imageShape;
        if (Shape.size(shape) != width) {
            throw new IOException(csv + ": rows have " + width + " features, but image shape " + Shape.str(shape)
                    + " needs " + Shape.size(shape));
        }
        Tensor images = Pixels.handOver(Arrays.copyOf(features, rows * width), rows, shape[0], shape[1], shape[2]);
        String name = csv.getFileName().toString().replaceFirst("\\.csv$", "");
        return new Dataset(name, images, Arrays.copyOf(labels, rows), maxLabel + 1);
    }

    /**
     * A first line is a header when its label column is not a number ("label", "y", ...). Judging
     * by that column alone keeps a first data row with one bad feature from being skipped as a header.
     */
    private static boolean isHeader(String[] fields) {
        return !isNumber(fields[fields.length - 1].trim());
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return !s.isEmpty();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static float number(String field, Path csv, int line, int column) throws IOException {
        String s = field.trim();
        // Most feature files are integer pixels: parse those without the general float parser.
        int n = s.length();
        if (n > 0 && n < 10) {
            int v = 0;
            int i = s.charAt(0) == '-' ? 1 : 0;
            boolean digits = i < n;
            for (; i < n && digits; i++) {
                char c = s.charAt(i);
                digits = c >= '0' && c <= '9';
                v = v * 10 + (c - '0');
            }
            if (digits) {
                return s.charAt(0) == '-' ? -v : v;
            }
        }
        float v;
        try {
            v = Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw new IOException(csv + ":" + line + ": column " + column + " '" + s + "' is not a number");
        }
        if (!Float.isFinite(v)) {
            throw new IOException(csv + ":" + line + ": column " + column + " '" + s + "' is not a finite float");
        }
        return v;
    }

    private static int label(String field, Path csv, int line, int column) throws IOException {
        String s = field.trim();
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IOException(csv + ":" + line + ": label (column " + column + ") '" + s + "' is not a number");
        }
        // Accept "3.0" as well as "3": some writers print every column as a float.
        if (!(v >= 0) || v != Math.rint(v) || v > Integer.MAX_VALUE - 1) {
            throw new IOException(csv + ":" + line + ": label (column " + column + ") '" + s
                    + "' is not a non-negative integer");
        }
        return (int) v;
    }
}
