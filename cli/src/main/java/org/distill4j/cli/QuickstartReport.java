package org.distill4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.distill4j.coreset.protocol.ProtocolResults;
import org.distill4j.data.Normalization;
import org.distill4j.distill.DistilledSet;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.io.Json;
import org.distill4j.options.Progress;
import org.distill4j.tour.TourConfig;

/**
 * The quickstart's results and the report folder made of them: {@code index.html} (one
 * self-contained page, pictures as data: URIs), {@code results.csv}, {@code results.json}, the
 * selection files and the distilled set, written through {@link Output}
 * so that an interrupted run leaves the previous report or none.
 */
final class QuickstartReport {
    static final String[] FASHION_CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot"};

    record Baseline(int epochs, double accuracy, double seconds, String command) {
    }

    /** One coreset run; {@code file} is the selection's path inside the report folder. */
    record CoresetRow(String method, double fraction, int examples, double selectionSeconds, int epochs, double trainSeconds,
                      double accuracy, String file, String selectCommand, String evaluateCommand) {
    }

    record Distilled(DistilledSet set, Normalization norm, int iterations, double replayAccuracy, double ordinaryAccuracy,
                     double seconds, String distillCommand, String evaluateCommand) {
    }

    private final boolean fast;
    private final Map<String, Object> settings;
    private final Baseline baseline;
    private final List<CoresetRow> rows;
    private final Distilled distilled;
    private final double contextSeconds;
    private final double totalSeconds;

    QuickstartReport(boolean fast, Map<String, Object> settings, Baseline baseline, List<CoresetRow> rows, Distilled distilled,
                     double contextSeconds, double totalSeconds) {
        this.fast = fast;
        this.settings = settings;
        this.baseline = baseline;
        // Smallest fraction first; the methods keep their order within a fraction.
        this.rows = rows.stream().sorted(java.util.Comparator.comparingDouble(CoresetRow::fraction)).toList();
        this.distilled = distilled;
        this.contextSeconds = contextSeconds;
        this.totalSeconds = totalSeconds;
    }

    double totalSeconds() {
        return totalSeconds;
    }

    /** Writes the folder at {@code out}; {@code scratch} holds the selection files named by the rows. */
    void writeFolder(Output out, Path scratch) throws IOException {
        out.writeFolder(dir -> {
            Files.writeString(dir.resolve("index.html"), html(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("results.csv"), csv(), StandardCharsets.UTF_8);
            Map<String, Object> marked = new LinkedHashMap<>();
            marked.put("kind", OutputKinds.QUICKSTART_REPORT.id());
            marked.putAll(toJson());
            Files.writeString(dir.resolve("results.json"), Json.write(marked) + "\n", StandardCharsets.UTF_8);
            for (CoresetRow r : rows) {
                Path to = dir.resolve(r.file());
                Files.createDirectories(to.getParent());
                Files.copy(scratch.resolve(r.file()), to);
            }
            if (distilled != null) {
                Path d = Files.createDirectories(dir.resolve("distilled"));
                distilled.set().writeTo(d);
                Files.write(d.resolve("grid.png"), BenchReport.png(DistilledGrid.image(distilled.set().images(), distilled.norm())));
            }
        });
    }

    /** The text table printed at the end of the run. */
    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-34s %9s %8s %12s %9s%n", "what", "fraction", "images", "selection s", "test acc"));
        sb.append(String.format(Locale.ROOT, "%-34s %9s %,8d %12s %8.2f%%%n", "LeNet, all data, " + baseline.epochs() + (baseline.epochs() == 1 ? " epoch" : " epochs"),
                "100%", 60000, "-", 100 * baseline.accuracy()));
        for (CoresetRow r : rows) {
            sb.append(String.format(Locale.ROOT, "%-34s %9s %,8d %12.2f %8.2f%%%n", r.method(), BenchReport.percent(r.fraction()),
                    r.examples(), r.selectionSeconds(), 100 * r.accuracy()));
        }
        if (distilled != null) {
            sb.append(String.format(Locale.ROOT, "%-34s %9s %8d %12s %8.2f%%%n", "distilled, replayed (fixed init)", "-",
                    distilled.set().flatHardLabels().length, "-", 100 * distilled.replayAccuracy()));
        }
        if (fast) {
            sb.append("(the fast version: fewer epochs and iterations than `distill4j quickstart`)\n");
        }
        return sb.toString();
    }

    Map<String, Object> toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("fast", fast);
        o.put("settings", settings);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("epochs", baseline.epochs());
        b.put("test_accuracy", baseline.accuracy());
        b.put("train_seconds", baseline.seconds());
        b.put("command", baseline.command());
        o.put("full_data", b);
        o.put("selection_model_outputs_seconds", contextSeconds);
        List<Map<String, Object>> cs = new ArrayList<>();
        for (CoresetRow r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", r.method());
            m.put("fraction", r.fraction());
            m.put("examples", r.examples());
            m.put("selection_seconds", r.selectionSeconds());
            m.put("epochs", r.epochs());
            m.put("train_seconds", r.trainSeconds());
            m.put("test_accuracy", r.accuracy());
            m.put("file", r.file());
            m.put("commands", List.of(r.selectCommand(), r.evaluateCommand()));
            cs.add(m);
        }
        o.put("coresets", cs);
        if (distilled != null) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("images", distilled.set().flatHardLabels().length);
            d.put("iterations", distilled.iterations());
            d.put("learned_lrs", distilled.set().storedLrs());
            d.put("replay_test_accuracy", distilled.replayAccuracy());
            d.put("ordinary_training_test_accuracy", distilled.ordinaryAccuracy());
            d.put("seconds", distilled.seconds());
            d.put("commands", List.of(distilled.distillCommand(), distilled.evaluateCommand()));
            o.put("distillation", d);
        }
        o.put("total_seconds", totalSeconds);
        return o;
    }

    String csv() {
        StringBuilder sb = new StringBuilder("stage,method,fraction,examples,selection_seconds,epochs,train_seconds,test_accuracy,command\n");
        sb.append(String.format(Locale.ROOT, "full,lenet,1,60000,,%d,%.3f,%.4f,%s%n", baseline.epochs(), baseline.seconds(),
                baseline.accuracy(),
                csvField(baseline.command())));
        for (CoresetRow r : rows) {
            sb.append(String.format(Locale.ROOT, "coreset,%s,%s,%d,%.3f,%d,%.3f,%.4f,%s%n", r.method(), r.fraction(), r.examples(),
                    r.selectionSeconds(), r.epochs(), r.trainSeconds(), r.accuracy(), csvField(r.selectCommand() + " && " + r.evaluateCommand())));
        }
        if (distilled != null) {
            sb.append(String.format(Locale.ROOT, "distill,dataset-distillation-replay,,%d,,,%.3f,%.4f,%s%n",
                    distilled.set().flatHardLabels().length, distilled.seconds(), distilled.replayAccuracy(),
                    csvField(distilled.distillCommand() + " && " + distilled.evaluateCommand())));
        }
        return sb.toString();
    }

    /** method -> fraction -> accuracy, for {@link BenchReport#plot}; the full-data LeNet is a level line at 100%. */
    Map<String, Map<Double, ProtocolResults.Cell>> cells() {
        Map<String, Map<Double, ProtocolResults.Cell>> cells = new LinkedHashMap<>();
        for (CoresetRow r : rows) {
            cells.computeIfAbsent(r.method(), k -> new TreeMap<>())
                    .put(r.fraction(), new ProtocolResults.Cell(r.accuracy(), Double.NaN, 1, r.selectionSeconds()));
        }
        cells.put("LeNet, all data", Map.of(1.0, new ProtocolResults.Cell(baseline.accuracy(), Double.NaN, 1, 0)));
        return cells;
    }

    String html() throws IOException {
        String plot = dataUri(BenchReport.png(BenchReport.plot(cells(), "Fashion-MNIST, LeNet: test accuracy against fraction kept")));
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>distill4j quickstart</title>\n");
        h.append("<style>\n")
                .append("body{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}\n")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}\n")
                .append("td:first-child,th:first-child{text-align:left}tr.ref{background:#f3f3f3}\n")
                .append("pre{background:#f6f6f6;padding:0.8em;white-space:pre-wrap;font-size:12px}\n")
                .append(".arg{white-space:nowrap}.note{font-size:90%}\n")
                .append(".fast{background:#fff3cd;border:1px solid #e0c36c;padding:0.6em}img{max-width:100%}\n")
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>distill4j quickstart: Fashion-MNIST, LeNet</h1>\n");
        if (fast) {
            h.append("<p class=\"fast\" id=\"fast\">This is the <b>fast version</b> (<code>distill4j quickstart --fast</code>): "
                    + "fewer epochs and distillation iterations, so the accuracies are lower than those of "
                    + "<code>distill4j quickstart</code>.</p>\n");
        }
        h.append(String.format(Locale.ROOT, "<p>Made by <code>%s</code> in %.0f s on %s, device %s, seed %s. "
                        + "Test accuracy is on the 10,000 test images.</p>\n", esc(command()), totalSeconds,
                settings.get("threads") instanceof Number t ? Progress.count(t.longValue(), "thread") : "? threads",
                esc(String.valueOf(settings.get("device"))), settings.get("seed")));

        h.append("<h2>Results</h2>\n<table id=\"results\">\n<thead><tr><th>what</th><th>fraction</th><th>images</th>"
                + "<th>selection (s)</th><th>epochs</th><th>training (s)</th><th>test accuracy</th></tr></thead>\n<tbody>\n");
        h.append(String.format(Locale.ROOT, "<tr class=\"ref\" data-stage=\"full\"><td>LeNet on all data</td>"
                        + "<td>100%%</td><td>60,000</td><td>–</td><td>%d</td><td>%.1f</td><td>%.2f%%</td></tr>\n", baseline.epochs(),
                baseline.seconds(), 100 * baseline.accuracy()));
        for (CoresetRow r : rows) {
            h.append(String.format(Locale.ROOT, "<tr data-stage=\"coreset\"><td>%s</td><td>%s</td><td>%,d</td><td>%.2f</td>"
                            + "<td>%d</td><td>%.1f</td><td>%.2f%%</td></tr>\n", esc(r.method()), BenchReport.percent(r.fraction()),
                    r.examples(), r.selectionSeconds(), r.epochs(), r.trainSeconds(), 100 * r.accuracy()));
        }
        if (distilled != null) {
            int n = distilled.set().flatHardLabels().length;
            h.append(String.format(Locale.ROOT, "<tr data-stage=\"distill\"><td>%d distilled images, replayed (3 learned steps)</td>"
                    + "<td>–</td><td>%d</td><td>–<a href=\"#distill-note\">*</a></td><td>–</td><td>–</td><td>%.2f%%</td></tr>\n", n, n,
                    100 * distilled.replayAccuracy()));
            h.append(String.format(Locale.ROOT, "<tr data-stage=\"distill\"><td>the same images, ordinary SGD</td>"
                            + "<td>–</td><td>%d</td><td>–</td><td>%d</td><td>–</td><td>%.2f%%</td></tr>\n",
                    n, TourConfig.DISTILLED_TRAIN_EPOCHS, 100 * distilled.ordinaryAccuracy()));
        }
        h.append("</tbody>\n</table>\n");
        h.append(String.format(Locale.ROOT, "<p>Coresets are chosen within each class (balanced) using the full-data LeNet above "
                        + "as the selection model; its embeddings and softmax outputs took %.1f s and are not counted in the "
                        + "selection times. Each coreset trains a fresh LeNet for %s epochs (SGD, lr %s, momentum %s, batch %s) "
                        + "from seed %s; above 1%%, for fewer epochs, so that it sees as many images as a 1%% coreset does. "
                        + "Selection (s) is the method's own time.</p>\n",
                contextSeconds, settings.get("subset_epochs"), settings.get("lr"),
                settings.get("momentum"), settings.get("batch_size"), settings.get("seed")));
        if (distilled != null) {
            h.append(String.format(Locale.ROOT, "<p class=\"note\" id=\"distill-note\">* Distillation selects nothing: it learns "
                    + "new images, from the whole training set, in %.1f s (%s). The replay trains a network with those images' "
                    + "3 learned steps only.</p>\n", distilled.seconds(), Progress.count(distilled.iterations(), "iteration")));
        }
        h.append(whyHardExamplesFallBehind());

        h.append("<h2>Accuracy against fraction</h2>\n<img id=\"plot\" alt=\"test accuracy against fraction\" src=\"")
                .append(plot).append("\">\n");

        if (distilled != null) {
            DistilledSet set = distilled.set();
            h.append(String.format(Locale.ROOT, "<h2>Distilled images</h2>\n<p>Dataset Distillation (Wang et al. 2018): %d images "
                    + "(one per class), one fixed initialisation, %d outer iterations; pixels clipped to [0, 1] for display. "
                    + "Left to right: %s.</p>\n", set.flatHardLabels().length, distilled.iterations(), esc(classNames(set))));
            h.append("<img id=\"grid\" alt=\"distilled images\" src=\"")
                    .append(dataUri(BenchReport.png(DistilledGrid.image(set.images(), distilled.norm())))).append("\">\n");
            h.append("<h3>Learned learning rates</h3>\n<table id=\"lrs\">\n<thead><tr><th>step</th><th>learning rate</th></tr>"
                    + "</thead>\n<tbody>\n");
            double[] lrs = set.lrs();
            for (int i = 0; i < lrs.length; i++) {
                h.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%.4f</td></tr>\n", i + 1, lrs[i]));
            }
            h.append("</tbody>\n</table>\n");
        }

        h.append("<h2>Reproduce each number</h2>\n<p>From the repository root. Each <code>select</code> writes the selection "
                + "file that this report folder also holds, so <code>evaluate</code> can run on the report's copy as well; "
                + "<code>distilled/</code> here is what <code>distill</code> writes.</p>\n<pre id=\"commands\">");
        h.append("# LeNet on all data\n").append(commandHtml(baseline.command())).append("\n");
        for (CoresetRow r : rows) {
            h.append("\n# ").append(esc(r.method())).append(' ').append(BenchReport.percent(r.fraction())).append('\n');
            h.append(commandHtml(r.selectCommand())).append('\n').append(commandHtml(r.evaluateCommand())).append('\n');
        }
        if (distilled != null) {
            h.append("\n# distilled images\n").append(commandHtml(distilled.distillCommand())).append('\n')
                    .append(commandHtml(distilled.evaluateCommand())).append('\n');
        }
        h.append("</pre>\n");
        // Lets a headless browser check that every picture decoded: it records each image's natural size.
        h.append("<script>\nwindow.addEventListener('load', function () {\n"
                + "  for (var i = 0; i < document.images.length; i++) {\n"
                + "    var img = document.images[i];\n"
                + "    img.setAttribute('data-natural-width', img.naturalWidth);\n"
                + "    img.setAttribute('data-natural-height', img.naturalHeight);\n"
                + "  }\n"
                + "  document.body.setAttribute('data-loaded', 'true');\n"
                + "});\n</script>\n</body>\n</html>\n");
        return h.toString();
    }

    /**
     * The paragraph a reader of the table wants: why methods that pick hard, uncertain or
     * often-forgotten examples can fall below uniform sampling at small budgets, with this run's
     * cases named.
     */
    private String whyHardExamplesFallBehind() {
        Map<Double, Double> uniform = new TreeMap<>();
        rows.stream().filter(r -> r.method().equals("uniform")).forEach(r -> uniform.put(r.fraction(), r.accuracy()));
        Map<Double, List<String>> below = new TreeMap<>();
        for (CoresetRow r : rows) {
            Double u = uniform.get(r.fraction());
            if (u != null && r.accuracy() < u && !r.method().equals("uniform")) {
                below.computeIfAbsent(r.fraction(), f -> new ArrayList<>()).add(r.method());
            }
        }
        List<String> cases = new ArrayList<>();
        below.forEach((f, methods) -> cases.add("at " + BenchReport.percent(f) + ", " + String.join(", ", methods)));
        String here = uniform.isEmpty() ? ""
                : below.isEmpty() ? " In this run every method matched or beat uniform sampling."
                : " In this run, below uniform sampling " + esc(String.join("; ", cases)) + ".";
        return "<p id=\"why\"><b>Why can careful methods lose to uniform sampling?</b>" + here + " At a budget of a few dozen "
                + "images per class, a network needs typical, representative examples that cover each class. Methods that "
                + "pick hard examples (entropy: the most uncertain; forgetting: the most often forgotten; GradMatch and "
                + "other gradient methods: those that stand for the gradient, often the large-loss ones) pick the unusual "
                + "ones: near the class boundaries, atypical, sometimes mislabelled. Trained on those alone, a network "
                + "learns the exceptions without the rule. At small budgets coverage matters more than difficulty; hard "
                + "examples pay off at larger fractions, once the easy ones are represented. The literature agrees: "
                + "DeepCore (Guo, Zhao and Bai 2022) finds random selection a strong baseline that few methods beat at small "
                + "fractions; Sorscher et al. 2022 (&ldquo;Beyond neural scaling laws&rdquo;) show that with little data it "
                + "is better to keep the easy examples, with much data the hard ones; Zheng et al. 2023 (coverage-centric "
                + "coreset selection, CCS) show that difficulty-based selection collapses at high pruning rates and that "
                + "keeping coverage of the data distribution repairs it.</p>\n";
    }

    /**
     * A command line for the page: each {@code --flag value} pair (and each other word) unbreakable,
     * so that a narrow page wraps between arguments, never inside one.
     */
    static String commandHtml(String command) {
        List<String> words = shellWords(command);
        StringBuilder h = new StringBuilder();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.startsWith("--") && i + 1 < words.size() && !words.get(i + 1).startsWith("--")
                    && !words.get(i + 1).equals("&&")) {
                w = w + " " + words.get(++i);
            }
            h.append(h.length() == 0 ? "" : " ").append("<span class=\"arg\">").append(esc(w)).append("</span>");
        }
        return h.toString();
    }

    /** {@code command} split at spaces outside single quotes ({@link #shellWord}'s quoting), quotes kept. */
    private static List<String> shellWords(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        for (char c : command.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            }
            if (c == ' ' && !quoted) {
                if (w.length() > 0) {
                    words.add(w.toString());
                    w.setLength(0);
                }
            } else {
                w.append(c);
            }
        }
        if (w.length() > 0) {
            words.add(w.toString());
        }
        return words;
    }

    private String command() {
        return "./distill4j quickstart" + (fast ? " --fast" : "");
    }

    private static String classNames(DistilledSet set) {
        List<String> names = new ArrayList<>();
        for (int label : set.flatHardLabels()) {
            names.add(label >= 0 && label < FASHION_CLASSES.length ? FASHION_CLASSES[label] : String.valueOf(label));
        }
        return String.join(", ", names);
    }

    static String dataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String csvField(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    /** {@code s} as one shell word: as it is when it is plain, else in single quotes. */
    static String shellWord(String s) {
        return s.matches("[A-Za-z0-9_./%:=,+@-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
