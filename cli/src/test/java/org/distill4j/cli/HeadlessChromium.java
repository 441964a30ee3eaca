package org.distill4j.cli;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * A page looked at as a person would: Debian's {@code chromium} in headless mode takes a screenshot
 * of it, and dumps its DOM after the load event (the page's script writes each image's decoded
 * size into {@code data-natural-width}).
 */
final class HeadlessChromium {
    private final String binary;
    private final Path profile;

    private HeadlessChromium(String binary, Path profile) {
        this.binary = binary;
        this.profile = profile;
    }

    /** Chromium on the PATH, with a throw-away profile under {@code work}; empty when it is not installed. */
    static Optional<HeadlessChromium> find(Path work) throws IOException {
        for (String name : new String[]{"chromium", "chromium-browser"}) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(p)) {
                    return Optional.of(new HeadlessChromium(p.toString(), Files.createDirectories(work.resolve("chromium-profile"))));
                }
            }
        }
        return Optional.empty();
    }

    /** Renders {@code page} at {@code width} x {@code height} CSS pixels to {@code png}; returns the picture. */
    BufferedImage screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        run("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, "--hide-scrollbars",
                page.toUri().toString());
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("chromium wrote no screenshot " + png);
        }
        return ImageIO.read(png.toFile());
    }

    /** The DOM after the page has loaded and run its scripts. */
    String dumpDom(Path page) throws IOException, InterruptedException {
        return run("--virtual-time-budget=5000", "--dump-dom", page.toUri().toString());
    }

    private String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + profile.toAbsolutePath()));
        cmd.addAll(List.of(args));
        Path stdout = Files.createTempFile(profile, "stdout", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("chromium exited with " + p.exitValue() + ": " + cmd);
        }
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    /** How many different colours the picture has, and the fraction of its pixels that are not white. */
    static double[] colourfulness(BufferedImage img) {
        Set<Integer> colours = new HashSet<>();
        long ink = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) {
                    ink++;
                }
            }
        }
        return new double[]{colours.size(), (double) ink / ((long) img.getWidth() * img.getHeight())};
    }
}
