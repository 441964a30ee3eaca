package org.distill4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output layer: what may be replaced, what is refused, and that every write is all or nothing. */
class OutputTest {
    @TempDir
    Path dir;

    private static final OutputKind.File CSV = OutputKinds.SELECTION_CSV;
    private static final OutputKind.Folder DISTILLED = OutputKinds.DISTILLED_SET;

    private static void writeCsv(Output out, String rows) throws IOException {
        out.writeFile(s -> s.write((CSV.header() + "\n" + rows).getBytes(StandardCharsets.UTF_8)));
    }

    private static Output.FolderWriter distilled(String content) {
        return d -> {
            Files.writeString(d.resolve("meta.json"), "{\"kind\": \"" + DISTILLED.id() + "\"}\n");
            Files.writeString(d.resolve("images.npy"), content);
        };
    }

    /** Every file under {@code root} (relative name -> bytes as text), to compare before and after. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                all.put(root.relativize(p).toString(), Files.isDirectory(p) ? "<dir>" : Files.readString(p, StandardCharsets.ISO_8859_1));
            }
        }
        return all;
    }

    @Test
    void aNewFileIsWrittenWithTheModeOfAnyNewFileAndNoTemporaryFileIsLeft() throws IOException {
        Path f = dir.resolve("sel.csv");
        Output out = Output.check(f, CSV, false);
        assertEquals(Output.State.NEW, out.state());
        writeCsv(out, "3,1,1.0,NaN\n");
        assertEquals(CSV.header() + "\n3,1,1.0,NaN\n", Files.readString(f));
        Path plain = Files.createFile(dir.resolve("plain"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f), "not a temporary file's 0600");
        Files.delete(plain);
        assertEquals(List.of("sel.csv"), names(dir));
        assertEquals(0, PendingOutputs.inFlight());
    }

    @Test
    void aFolderOutputGetsTheModeOfAnyNewFolder() throws IOException {
        Path d = dir.resolve("distilled");
        Output.check(d, DISTILLED, false).writeFolder(distilled("x"));
        Path plain = Files.createDirectory(dir.resolve("plain"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(d), "not a temporary folder's 0700");
        assertEquals(Files.getPosixFilePermissions(Files.createFile(dir.resolve("p"))),
                Files.getPosixFilePermissions(d.resolve("images.npy")));
    }

    @Test
    void aSelectionReplacesAnEarlierSelectionButNotAnotherFile() throws IOException {
        Path f = dir.resolve("sel.csv");
        writeCsv(Output.check(f, CSV, false), "1,0,1.0,NaN\n");
        Output again = Output.check(f, CSV, false);
        assertEquals(Output.State.OURS, again.state());
        writeCsv(again, "2,0,1.0,NaN\n");
        assertTrue(Files.readString(f).endsWith("2,0,1.0,NaN\n"));

        Path notes = Files.writeString(dir.resolve("notes.csv"), "my,own\ndata\n");
        OutputRefusedException e = assertThrows(OutputRefusedException.class, () -> Output.check(notes, CSV, false));
        assertEquals("refusing to replace " + notes + ": a file that distill4j did not write (first line: 'my,own')", e.getMessage());
        assertTrue(e.forceable());
        assertEquals("my,own\ndata\n", Files.readString(notes));

        Output forced = Output.check(notes, CSV, true);
        assertEquals(Output.State.FORCED, forced.state());
        writeCsv(forced, "");
        assertEquals(CSV.header() + "\n", Files.readString(notes));
    }

    @Test
    void anEmptyFileOrFolderHoldsNothingToLose() throws IOException {
        assertEquals(Output.State.EMPTY, Output.check(Files.createFile(dir.resolve("e.csv")), CSV, false).state());
        assertEquals(Output.State.EMPTY, Output.check(Files.createDirectory(dir.resolve("e")), DISTILLED, false).state());
    }

    @Test
    void aFolderThatDistill4jDidNotWriteIsRefusedUntouchedAndReplacedWholeWhenForced() throws IOException {
        Path mine = Files.createDirectories(dir.resolve("mydir/sub"));
        Files.writeString(dir.resolve("mydir/important.txt"), "keep me");
        Files.writeString(mine.resolve("b.txt"), "and me");
        Map<String, String> before = snapshot(dir);
        OutputRefusedException e = assertThrows(OutputRefusedException.class,
                () -> Output.check(dir.resolve("mydir"), DISTILLED, false));
        assertEquals("refusing to replace " + dir.resolve("mydir") + ": a folder that distill4j did not write (it holds "
                + "important.txt, sub)", e.getMessage());
        assertEquals(before, snapshot(dir));

        Output.check(dir.resolve("mydir"), DISTILLED, true).writeFolder(distilled("new"));
        assertEquals(List.of("images.npy", "meta.json"), names(dir.resolve("mydir")));
        assertEquals(List.of("mydir"), names(dir), "no temporary or moved-aside folder is left");
    }

    @Test
    void anEarlierOutputOfTheSameKindIsReplacedAndOneOfAnotherKindIsNot() throws IOException {
        Path d = dir.resolve("out");
        Output.check(d, DISTILLED, false).writeFolder(distilled("old"));
        Output again = Output.check(d, DISTILLED, false);
        assertEquals(Output.State.OURS, again.state());
        again.writeFolder(distilled("new"));
        assertEquals("new", Files.readString(d.resolve("images.npy")));

        OutputRefusedException e = assertThrows(OutputRefusedException.class,
                () -> Output.check(d, OutputKinds.CORESET_BENCH, false));
        assertTrue(e.getMessage().endsWith(": a distilled set, not a coreset-bench folder"), e.getMessage());
    }

    @Test
    void aFileIsNeverReplacedByAFolderNorAFolderByAFileUnlessForced() throws IOException {
        Path sel = dir.resolve("sel.csv");
        writeCsv(Output.check(sel, CSV, false), "1,0,1.0,NaN\n");
        OutputRefusedException e = assertThrows(OutputRefusedException.class, () -> Output.check(sel, DISTILLED, false));
        assertTrue(e.getMessage().endsWith(": a selection CSV, not a distilled set"), e.getMessage());

        Path folder = Files.createDirectory(dir.resolve("folder.csv"));
        Files.writeString(folder.resolve("x"), "x");
        e = assertThrows(OutputRefusedException.class, () -> Output.check(folder, CSV, false));
        assertTrue(e.getMessage().endsWith(": a folder, not a file"), e.getMessage());

        writeCsv(Output.check(folder, CSV, true), "");
        assertTrue(Files.isRegularFile(folder));
        Output.check(sel, DISTILLED, true).writeFolder(distilled("d"));
        assertTrue(Files.isDirectory(sel));
        assertEquals(List.of("folder.csv", "sel.csv"), names(dir));
    }

    @Test
    void aSelectionWithItsProvenanceLineIsRecognisedAndSoIsTheOlderForm() throws IOException {
        String header = CSV.header() + "\n";
        String line = CSV.signature() + "{\"kind\": \"distill4j/selection\", \"rows_sha256\": \"00\"}\n";
        String[] ours = {header, header + "1,0,1.0,NaN\n", line + header, line + header + "1,0,1.0,NaN\n",
                CSV.signature() + "{" + "\"k\": 1, ".repeat(5_000) + "\"k\": 1}\n" + header};
        for (String text : ours) {
            Path f = Files.writeString(dir.resolve("ours.csv"), text);
            assertTrue(CSV.recognizes(f), text);
            assertEquals(Output.State.OURS, Output.check(f, CSV, false).state(), text);
        }
        // The signature line alone, or with something else after it, is not a selection; nor is a
        // header after other comment lines, nor a signature that is not on the first line.
        String[] others = {line, line + "index\n1\n", line + "\n" + header, "# mine\n" + header, "# mine\n" + line + header,
                "#distill4j selection {}\n" + header, "\uFEFF" + line + header,
                CSV.signature() + "x".repeat(70_000) + "\n" + header};
        for (String text : others) {
            Path f = Files.writeString(dir.resolve("other.csv"), text);
            assertFalse(CSV.recognizes(f), text);
            OutputRefusedException e = assertThrows(OutputRefusedException.class, () -> Output.check(f, CSV, false));
            assertTrue(e.getMessage().contains("a file that distill4j did not write"), e.getMessage());
        }
        assertFalse(OutputKinds.DISTILLED_SET.recognizes(Files.writeString(dir.resolve("x.csv"), line + header)));
    }

    @Test
    void aLinkIsRefused() throws IOException {
        Path target = Files.writeString(dir.resolve("real.csv"), CSV.header() + "\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), target);
        OutputRefusedException e = assertThrows(OutputRefusedException.class, () -> Output.check(link, CSV, false));
        assertTrue(e.getMessage().contains("a symbolic link (to " + target + ")"), e.getMessage());
    }

    @Test
    void missingParentsAreCreatedAtWriteTimeAndReported() throws IOException {
        Path f = dir.resolve("a/b/sel.csv");
        Output out = Output.check(f, CSV, false);
        assertEquals(List.of(dir.resolve("a"), dir.resolve("a/b")), out.createsFolders());
        assertFalse(Files.exists(dir.resolve("a")), "nothing is created by the check");
        writeCsv(out, "");
        assertTrue(Files.isRegularFile(f));
    }

    @Test
    void aParentThatIsAFileOrCannotBeWrittenFailsTheCheckWithTheUsersPathAndTheReason() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        IOException e = assertThrows(IOException.class, () -> Output.check(file.resolve("sel.csv"), CSV, false));
        assertEquals("cannot write " + file.resolve("sel.csv") + ": " + file + " is not a folder", e.getMessage());

        // sysfs refuses new files even to root, so this holds for every user.
        Path sys = Path.of("/sys/distill4j-test/sel.csv");
        e = assertThrows(IOException.class, () -> Output.check(sys, CSV, false));
        assertEquals("cannot write " + sys + ": Permission denied", e.getMessage());
    }

    @Test
    void aWriterThatFailsHalfWayLeavesTheOldOutputAndNoTemporaryFiles() throws IOException {
        Path f = dir.resolve("sel.csv");
        writeCsv(Output.check(f, CSV, false), "1,0,1.0,NaN\n");
        Path d = dir.resolve("out");
        Output.check(d, DISTILLED, false).writeFolder(distilled("old"));
        Map<String, String> before = snapshot(dir);

        IOException e = assertThrows(IOException.class, () -> Output.check(f, CSV, false).writeFile(s -> {
            s.write("index,label,weight,score\n1,".getBytes(StandardCharsets.UTF_8));
            throw new IOException("No space left on device");
        }));
        assertEquals("cannot write " + f + ": No space left on device", e.getMessage());
        assertThrows(IOException.class, () -> Output.check(d, DISTILLED, false).writeFolder(folder -> {
            distilled("new").write(folder);
            throw new IOException("No space left on device");
        }));
        assertThrows(IllegalStateException.class, () -> Output.check(d, DISTILLED, false).writeFolder(folder ->
                Files.writeString(folder.resolve("images.npy"), "no marker")));
        assertEquals(before, snapshot(dir));
        assertEquals(0, PendingOutputs.inFlight());
    }

    @Test
    void aProgramStoppedByCtrlCHalfWayThroughAWriteLeavesTheOldOutputAndNoTemporaryFiles() throws Exception {
        Path f = dir.resolve("sel.csv");
        writeCsv(Output.check(f, CSV, false), "1,0,1.0,NaN\n");
        Path d = dir.resolve("out");
        Output.check(d, DISTILLED, false).writeFolder(distilled("old"));
        Map<String, String> before = snapshot(dir);
        for (String[] what : new String[][]{{"file", f.toString()}, {"folder", d.toString()}}) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), HangingWrite.class.getName(), what[0], what[1])
                    .redirectErrorStream(true).start();
            try {
                var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("writing", lines.readLine());
                assertTrue(snapshot(dir).size() > before.size(), "a temporary " + what[0] + " is being written");
                assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
                assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            } finally {
                p.destroyForcibly();
            }
            assertEquals(before, snapshot(dir), "after Ctrl-C while writing a " + what[0]);
        }
    }

    @Test
    void somethingThatAppearedSinceTheCheckIsRefusedAtWriteTime() throws IOException {
        Path f = dir.resolve("sel.csv");
        Output out = Output.check(f, CSV, false);
        Files.writeString(f, "written by someone else meanwhile");
        assertThrows(OutputRefusedException.class, () -> writeCsv(out, ""));
        assertEquals("written by someone else meanwhile", Files.readString(f));
    }

    @Test
    void theWorkingFolderIsNeverReplacedNotEvenWhenForced() {
        Path cwd = Path.of("").toAbsolutePath();
        OutputRefusedException e = assertThrows(OutputRefusedException.class, () -> Output.check(cwd, DISTILLED, true));
        assertFalse(e.forceable());
        assertThrows(OutputRefusedException.class, () -> Output.check(cwd.getParent(), DISTILLED, true));
    }

    @Test
    void foldersFromBeforeMarkersHadKindsAreRecognisedByTheirKeys() throws IOException {
        Path d = Files.createDirectory(dir.resolve("old-distilled"));
        Files.writeString(d.resolve("meta.json"), "{\"steps\": 1, \"epochs\": 3, \"ipc\": 1, \"classes\": 10, \"image_shape\": [1, 28, 28]}");
        assertEquals(Output.State.OURS, Output.check(d, DISTILLED, false).state());
        Files.writeString(d.resolve("meta.json"), "{\"steps\": 1}");
        assertThrows(OutputRefusedException.class, () -> Output.check(d, DISTILLED, false));
        Files.writeString(d.resolve("meta.json"), "{\"kind\": \"distill4j/checkpoint\", \"steps\": 1, \"epochs\": 3, \"ipc\": 1, "
                + "\"classes\": 10, \"image_shape\": []}");
        assertThrows(OutputRefusedException.class, () -> Output.check(d, DISTILLED, false), "a kind, when present, decides");
    }

    @Test
    void atomicFileWritesBytesWhole() throws IOException {
        Path f = dir.resolve("results.md");
        AtomicFile.write(f, new byte[]{1, 2, 3});
        AtomicFile.write(f, new byte[]{4});
        assertArrayEquals(new byte[]{4}, Files.readAllBytes(f));
        assertEquals(List.of("results.md"), names(dir));
        Path plain = Files.createFile(dir.resolve("plain"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f));
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
