package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.distill4j.data.DataSets;
import org.distill4j.data.Normalization;
import org.distill4j.distill.DistilledSet;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.distill4j.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quickstart}: its help, its report folder (complete or absent, world-readable), and the page
 * as a browser shows it; then the real thing, {@code quickstart --fast} on Fashion-MNIST, as CI runs it.
 */
class QuickstartTest extends CommandTest {
    @TempDir
    Path dir;

    @Test
    void helpListsEveryFlagWithItsDefault() {
        assertEquals(0, run("quickstart", "--help"));
        String help = out.toString();
        for (String s : List.of("--fast", "--out", "Default: quickstart-report", "--methods",
                "Default: uniform,herding,kcenter,entropy,", "gradmatch", "--fractions", "--epochs", "(default: 3; 1 with --fast)",
                "--subset-epochs", "--iterations", "--device", "Default: auto", "--threads", "--data", "--json")) {
            assertTrue(help.contains(s), "help lacks '" + s + "':\n" + help);
        }
    }

    @Test
    void unknownMethodIsOneLineBeforeAnyWork() {
        assertEquals(2, run("quickstart", "--methods", "uniform,bogus", "--out", dir.resolve("r").toString()));
        String[] lines = errLines();
        assertEquals(1, lines.length, err.toString());
        assertTrue(lines[0].contains("bogus"), lines[0]);
        assertFalse(Files.exists(dir.resolve("r")));
    }

    /** A report of made-up figures: two methods at two fractions and a 10-image distilled set. */
    private QuickstartReport syntheticReport(Path scratch) throws IOException {
        List<QuickstartReport.CoresetRow> rows = new ArrayList<>();
        for (double f : new double[]{0.01, 0.001}) {
            for (String m : List.of("uniform", "herding")) {
                String file = "selections/" + m + "-" + f + ".csv";
                Files.createDirectories(scratch.resolve(file).getParent());
                Files.writeString(scratch.resolve(file), "index,label,weight,score\n0,9,1,\n");
                rows.add(new QuickstartReport.CoresetRow(m, f, (int) (60000 * f), 0.5, 40, 2.0, f * 40 + (m.equals("herding") ? 0.1 : 0),
                        file, "./distill4j select --method " + m, "./distill4j evaluate --subset " + file));
            }
        }
        Tensor images = Tensor.randn(new Generator(1), DType.F32, 1, 10, 1, 28, 28);
        int[] labels = new int[10];
        Arrays.setAll(labels, i -> i);
        DistilledSet set = new DistilledSet(images, Tensor.fromInts(labels, 1, 10), new double[]{0.3, 0.1, 0.2},
                Map.of("dataset", "fashion-mnist", "model", "lenet"));
        QuickstartReport.Distilled d = new QuickstartReport.Distilled(set, Normalization.of(new double[]{0.29}, new double[]{0.35}),
                5, 0.6, 0.45, 3.0, "./distill4j distill --iterations 5", "./distill4j evaluate-distilled distilled");
        return new QuickstartReport(true, Map.of("threads", 2, "device", "cpu", "seed", 0, "subset_epochs", 40, "lr", 0.01,
                "momentum", 0.9, "batch_size", 128), new QuickstartReport.Baseline(1, 0.8, 10, "./distill4j train --epochs 1"),
                rows, d, 2.0, 30.0);
    }

    @Test
    void reportFolderIsReplacedWholeAndWorldReadableOrNotAtAll() throws Exception {
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        Path report = dir.resolve("report");
        QuickstartReport r = syntheticReport(scratch);
        r.writeFolder(Output.check(report, OutputKinds.QUICKSTART_REPORT, false), scratch);
        Files.writeString(report.resolve("index.html"), "the previous report");

        // A failure half-way (a selection file is missing) leaves the previous report as it was, and no temporary folder.
        Files.delete(scratch.resolve("selections/herding-0.001.csv"));
        assertThrows(IOException.class, () -> r.writeFolder(Output.check(report, OutputKinds.QUICKSTART_REPORT, false), scratch));
        assertEquals("the previous report", Files.readString(report.resolve("index.html")));
        assertEquals(List.of("report", "scratch"), names(dir));

        Files.writeString(scratch.resolve("selections/herding-0.001.csv"), "index,label,weight,score\n1,2,1,\n");
        r.writeFolder(Output.check(report, OutputKinds.QUICKSTART_REPORT, false), scratch);
        assertEquals(List.of("distilled", "index.html", "results.csv", "results.json", "selections"), names(report));
        assertEquals(List.of("report", "scratch"), names(dir));
        try (Stream<Path> all = Files.walk(report)) {
            for (Path p : all.toList()) {
                assertEquals(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--",
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
            }
        }
        assertEquals(1 + 1 + 4 + 1, Files.readAllLines(report.resolve("results.csv")).size());
        Map<String, Object> json = Json.parseObject(Files.readString(report.resolve("results.json")));
        assertEquals(4, ((List<?>) json.get("coresets")).size());
        assertEquals(true, json.get("fast"));

        Optional<HeadlessChromium> chromium = HeadlessChromium.find(dir);
        Requirements.assumeOrFail(chromium.isPresent(), "chromium is not installed (apt-get install -y chromium); the page was not rendered");
        checkPageAsRendered(chromium.get(), report, 4);
    }

    @Test
    void reportRowsRunSmallestFractionFirstAndThePageExplainsItself() throws Exception {
        QuickstartReport r = syntheticReport(Files.createDirectories(dir.resolve("scratch")));   // rows made at 1%, then 0.1%
        String html = r.html();
        int tenth = html.indexOf("<td>uniform</td><td>0.1%</td>");
        int one = html.indexOf("<td>uniform</td><td>1%</td>");
        assertTrue(tenth > 0 && one > tenth, "0.1% rows before 1% rows");
        assertTrue(r.table().indexOf("0.1%") < r.table().indexOf(" 1%"), r.table());
        List<String> csv = r.csv().lines().toList();
        assertTrue(csv.get(2).startsWith("coreset,uniform,0.001,") && csv.get(4).startsWith("coreset,uniform,0.01,"), r.csv());

        // The distilled row's selection cell is a dash with a footnote, which is there.
        assertTrue(html.contains("<td>–<a href=\"#distill-note\">*</a></td>"), html);
        assertTrue(html.contains("id=\"distill-note\""), html);
        // The paragraph on hard examples, with this run's cases (here herding beats uniform at both fractions).
        String why = html.substring(html.indexOf("<p id=\"why\">"));
        why = why.substring(0, why.indexOf("</p>"));
        assertTrue(why.contains("every method matched or beat uniform") && why.contains("DeepCore")
                && why.contains("Sorscher") && why.contains("Zheng"), why);
        assertTrue(html.contains("on 2 threads"), html);
    }

    @Test
    void commandLinesWrapBetweenArgumentsNotInsideAFlag() {
        String h = QuickstartReport.commandHtml("./distill4j select --method uniform --fraction 0.01 --data '/my data' --fast --out s.csv");
        assertEquals("<span class=\"arg\">./distill4j</span> <span class=\"arg\">select</span> "
                + "<span class=\"arg\">--method uniform</span> <span class=\"arg\">--fraction 0.01</span> "
                + "<span class=\"arg\">--data '/my data'</span> <span class=\"arg\">--fast</span> "
                + "<span class=\"arg\">--out s.csv</span>", h);
    }

    /**
     * The page in a browser: a screenshot with something on it, every table row there, every image
     * decoded (non-zero natural size), three learned rates.
     */
    private void checkPageAsRendered(HeadlessChromium chromium, Path report, int coresetRows) throws Exception {
        Path page = report.resolve("index.html");
        BufferedImage shot = chromium.screenshot(page, dir.resolve("screenshot.png"), 1100, 2400);
        assertEquals(1100, shot.getWidth());
        double[] colour = HeadlessChromium.colourfulness(shot);
        assertTrue(colour[0] > 50 && colour[1] > 0.05, "the screenshot looks blank: " + Arrays.toString(colour));

        String dom = chromium.dumpDom(page);
        assertTrue(dom.contains("data-loaded=\"true\""), "the page's load script did not run");
        assertEquals(1, count(dom, "<tr class=\"ref\" data-stage=\"full\">"));
        assertEquals(coresetRows, count(dom, "<tr data-stage=\"coreset\">"));
        assertEquals(2, count(dom, "<tr data-stage=\"distill\">"));
        Matcher img = Pattern.compile("<img[^>]*>").matcher(dom);
        List<String> ids = new ArrayList<>();
        while (img.find()) {
            String tag = img.group();
            Matcher id = Pattern.compile(" id=\"([^\"]+)\"").matcher(tag);
            ids.add(id.find() ? id.group(1) : "?");
            Matcher w = Pattern.compile("data-natural-width=\"(\\d+)\"").matcher(tag);
            Matcher h = Pattern.compile("data-natural-height=\"(\\d+)\"").matcher(tag);
            assertTrue(w.find() && h.find(), "no decoded size recorded for image " + ids.get(ids.size() - 1));
            assertTrue(Integer.parseInt(w.group(1)) > 0 && Integer.parseInt(h.group(1)) > 0,
                    "image " + ids.get(ids.size() - 1) + " did not decode: " + w.group(1) + " x " + h.group(1));
        }
        assertEquals(List.of("plot", "grid"), ids);
        String lrs = dom.substring(dom.indexOf("id=\"lrs\""));
        lrs = lrs.substring(0, lrs.indexOf("</table>"));
        assertEquals(3, count(lrs, "<tr><td>"), lrs);
    }

    @Test
    void fastQuickstartOnFashionMnistWritesAReportABrowserShows() throws Exception {
        Requirements.assumeOrFail(QuickstartCommand.FashionMnist.present(DataSets.defaultDir("fashion-mnist")),
                "Fashion-MNIST is not installed (apt-get install -y dataset-fashion-mnist)");
        Path report = dir.resolve("quickstart-report");
        assertEquals(0, run("quickstart", "--fast", "--out", report.toString(), "--json"), err.toString());
        List<String> stdout = out.toString().lines().toList();
        Map<String, Object> json = Json.parseObject(stdout.get(stdout.size() - 1));
        assertEquals(true, json.get("fast"));
        List<?> coresets = (List<?>) json.get("coresets");
        assertEquals(12, coresets.size());
        assertEquals(List.of("uniform", "herding", "kcenter", "entropy", "forgetting", "gradmatch"),
                coresets.subList(0, 6).stream().map(c -> ((Map<?, ?>) c).get("method")).toList());
        double full = ((Number) ((Map<?, ?>) json.get("full_data")).get("test_accuracy")).doubleValue();
        assertTrue(full > 0.6, "LeNet after one epoch on Fashion-MNIST should pass 60%, got " + full);
        for (Object c : coresets) {
            Map<?, ?> m = (Map<?, ?>) c;
            assertTrue(Files.isRegularFile(report.resolve((String) m.get("file"))), m.toString());
        }
        assertEquals(List.of("distilled", "index.html", "results.csv", "results.json", "selections"), names(report));
        assertEquals(List.of("quickstart-report"), names(dir));
        // Non-terminal progress: plain lines, one per stage and run, no bar.
        assertFalse(err.toString().contains("\r"));
        assertTrue(err.toString().contains("[4/4] writing"), err.toString());

        // The report's evaluate-distilled command line, run on the report's distilled folder, gives the same replay figure.
        Map<?, ?> distillation = (Map<?, ?>) json.get("distillation");
        String command = (String) ((List<?>) distillation.get("commands")).get(1);
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        assertEquals("./distill4j", args.remove(0));
        args.set(args.indexOf("distilled"), report.resolve("distilled").toString());
        args.add("--json");
        assertEquals(0, run(args.toArray(new String[0])), err.toString());
        List<String> again = out.toString().lines().toList();
        Map<?, ?> replay = (Map<?, ?>) ((Map<?, ?>) Json.parseObject(again.get(again.size() - 1)).get("results")).get("replay");
        assertEquals(((Number) distillation.get("replay_test_accuracy")).doubleValue(), ((Number) replay.get("mean")).doubleValue());

        Optional<HeadlessChromium> chromium = HeadlessChromium.find(dir.resolve("work"));
        Requirements.assumeOrFail(chromium.isPresent(), "chromium is not installed (apt-get install -y chromium); the page was not rendered");
        checkPageAsRendered(chromium.get(), report, 12);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
