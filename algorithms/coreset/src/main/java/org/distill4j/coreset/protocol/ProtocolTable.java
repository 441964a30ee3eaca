package org.distill4j.coreset.protocol;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** The coreset protocol's results as a Markdown table: one row per method, one column per fraction. */
public final class ProtocolTable {
    private ProtocolTable() {
    }

    /** A fraction as a percentage with up to six significant digits and no trailing zeros: 0.001 is "0.1%". */
    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%s%%", new BigDecimal(fraction * 100).round(new MathContext(6))
                .stripTrailingZeros().toPlainString());
    }

    /**
     * Final test accuracy, mean +- std over seeds, per method and fraction, with mean selection
     * seconds: a heading {@code title}, a line saying it was made by {@code command}, what the
     * figures are, and the table.
     */
    public static String markdown(Map<String, Map<Double, ProtocolResults.Cell>> cells, String title, String command) {
        TreeSet<Double> fractions = new TreeSet<>();
        cells.values().forEach(m -> fractions.addAll(m.keySet()));
        StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
        sb.append("Made by `").append(command).append("`.\n\n");
        sb.append("Final test accuracy (%), mean ± sample std (n - 1) over seeds (- for a single seed), and in brackets the mean "
                + "selection time in seconds ")
                .append("(without training the selection model and computing its embeddings and softmax outputs). ")
                .append("`full` trains on the whole set whatever the fraction.\n\n")
                .append("The methods of a seed share one selection context, so what they share (GraNd's and EL2N's extra ")
                .append("models) is counted by the first to ask for it; runs side by side (`--jobs`) also wait for each other. ")
                .append("`distill4j bench selection` times each method on its own.\n\n");
        sb.append("| method |");
        for (double f : fractions) {
            sb.append(' ').append(percent(f)).append(" |");
        }
        sb.append("\n|---|");
        sb.append("---|".repeat(fractions.size())).append('\n');
        cells.forEach((method, byFraction) -> {
            sb.append("| ").append(method).append(" |");
            for (double f : fractions) {
                ProtocolResults.Cell c = byFraction.get(f);
                sb.append(c == null ? " – |" : String.format(Locale.ROOT, " %.2f ± %s (%s s) |", 100 * c.mean(),
                        Double.isNaN(c.sampleStd()) ? "-" : String.format(Locale.ROOT, "%.2f", 100 * c.sampleStd()),
                        c.selectionSeconds() < 10 ? String.format(Locale.ROOT, "%.2f", c.selectionSeconds())
                                : String.format(Locale.ROOT, "%.0f", c.selectionSeconds())));
            }
            sb.append('\n');
        });
        return sb.toString();
    }
}
