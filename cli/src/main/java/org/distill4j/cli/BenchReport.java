package org.distill4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.distill4j.coreset.protocol.ProtocolResults;
import org.distill4j.coreset.protocol.ProtocolTable;

/** The coreset benchmark's plot of accuracy against fraction, and PNG encoding. */
final class BenchReport {
    private BenchReport() {
    }

    /** A fraction as a percentage: 0.001 is "0.1%" (see {@link ProtocolTable#percent}). */
    static String percent(double fraction) {
        return ProtocolTable.percent(fraction);
    }

    private static final Color[] PALETTE = {
            new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
            new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
            new Color(0x393b79), new Color(0xad494a), new Color(0x637939), new Color(0x8c6d31), new Color(0x843c39),
            new Color(0x7b4173), new Color(0x3182bd), new Color(0xe6550d), new Color(0x31a354), new Color(0x756bb1)};

    /** The error bar's half-length: one sample std, none where one run leaves it undefined. */
    private static double errorBar(ProtocolResults.Cell c) {
        return Double.isNaN(c.sampleStd()) ? 0 : c.sampleStd();
    }

    /**
     * Accuracy (%) against fraction on a log axis, one line per method with error bars of one sample std;
     * a method measured at a single fraction (such as {@code full}) is drawn as a dashed level line.
     */
    static BufferedImage plot(Map<String, Map<Double, ProtocolResults.Cell>> cells, String title) {
        System.setProperty("java.awt.headless", "true");
        int w = 960;
        int h = 640;
        int left = 70;
        int right = 200;
        int top = 40;
        int bottom = 60;
        TreeSet<Double> fractions = new TreeSet<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Map<Double, ProtocolResults.Cell> m : cells.values()) {
            for (var e : m.entrySet()) {
                if (m.size() > 1) {
                    fractions.add(e.getKey());
                }
                double std = errorBar(e.getValue());
                lo = Math.min(lo, 100 * (e.getValue().mean() - std));
                hi = Math.max(hi, 100 * (e.getValue().mean() + std));
            }
        }
        if (fractions.isEmpty()) {
            cells.values().forEach(m -> fractions.addAll(m.keySet()));
        }
        if (!(lo < hi)) {
            lo = Double.isFinite(lo) ? lo - 1 : 0;
            hi = lo + 2;
        }
        double yLo = Math.max(0, Math.floor(lo / 5) * 5);
        double yHi = Math.min(100, Math.ceil(hi / 5) * 5);
        if (yHi <= yLo) {
            yHi = yLo + 5;
        }
        double xLo = Math.log10(fractions.first());
        double xHi = Math.log10(fractions.last());
        if (xHi - xLo < 1e-9) {
            xLo -= 0.5;
            xHi += 0.5;
        }
        double padX = 0.05 * (xHi - xLo);
        double fxLo = xLo - padX;
        double fxHi = xHi + padX;
        double fyLo = yLo;
        double fyHi = yHi;
        int pw = w - left - right;
        int ph = h - top - bottom;
        java.util.function.DoubleUnaryOperator px = f -> left + (Math.log10(f) - fxLo) / (fxHi - fxLo) * pw;
        java.util.function.DoubleUnaryOperator py = a -> top + (fyHi - a) / (fyHi - fyLo) * ph;

        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        // grid and axes
        double step = (yHi - yLo) > 30 ? 10 : 5;
        for (double a = yLo; a <= yHi + 1e-9; a += step) {
            int y = (int) py.applyAsDouble(a);
            g.setColor(new Color(0xe5e5e5));
            g.drawLine(left, y, left + pw, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.0f", a), left - 30, y + 4);
        }
        for (double f : fractions) {
            int x = (int) px.applyAsDouble(f);
            g.setColor(new Color(0xe5e5e5));
            g.drawLine(x, top, x, top + ph);
            g.setColor(Color.DARK_GRAY);
            String label = percent(f);
            g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, top + ph + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);
        g.drawString("fraction of the training set (log scale)", left + pw / 2 - 110, h - 20);
        g.rotate(-Math.PI / 2);
        g.drawString("test accuracy (%)", -(top + ph / 2 + 50), 25);
        g.rotate(Math.PI / 2);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

        int i = 0;
        int legendY = top + 10;
        // Past the first ten lines: dashed, with square markers, so that no two methods look alike
        // where the palette's second half echoes the first (a blue and a lighter blue).
        // The legend draws each entry as its series is drawn: the same stroke, the same marker.
        BasicStroke solid = new BasicStroke(2f);
        BasicStroke dashed = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[]{7, 3}, 0);
        BasicStroke level = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[]{6, 4}, 0);
        for (var e : cells.entrySet()) {
            boolean second = i >= 10;
            Color c = PALETTE[i++ % PALETTE.length];
            g.setColor(c);
            Map<Double, ProtocolResults.Cell> m = e.getValue();
            boolean isLevel = m.size() == 1 && fractions.size() > 1;
            if (isLevel) {
                double acc = 100 * m.values().iterator().next().mean();
                int y = (int) py.applyAsDouble(acc);
                g.setStroke(level);
                g.drawLine(left, y, left + pw, y);
            } else {
                g.setStroke(solid);
                List<int[]> points = new ArrayList<>();
                for (var p : m.entrySet()) {
                    int x = (int) px.applyAsDouble(p.getKey());
                    int y = (int) py.applyAsDouble(100 * p.getValue().mean());
                    int dy = (int) Math.round(100 * errorBar(p.getValue()) / (fyHi - fyLo) * ph);
                    g.drawLine(x, y - dy, x, y + dy);
                    if (second) {
                        g.fillRect(x - 3, y - 3, 7, 7);
                    } else {
                        g.fillOval(x - 3, y - 3, 7, 7);
                    }
                    points.add(new int[]{x, y});
                }
                g.setStroke(second ? dashed : solid);
                for (int k = 1; k < points.size(); k++) {
                    g.drawLine(points.get(k - 1)[0], points.get(k - 1)[1], points.get(k)[0], points.get(k)[1]);
                }
            }
            g.setStroke(isLevel ? level : second ? dashed : solid);
            g.drawLine(left + pw + 12, legendY, left + pw + 38, legendY);
            if (!isLevel && second) {
                g.fillRect(left + pw + 22, legendY - 3, 7, 7);
            } else if (!isLevel) {
                g.fillOval(left + pw + 22, legendY - 3, 7, 7);
            }
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), left + pw + 42, legendY + 4);
            legendY += 18;
        }
        g.dispose();
        return img;
    }

    static byte[] png(BufferedImage img) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        return bytes.toByteArray();
    }
}
