package org.distill4j.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An output path, checked before any work starts, and the one way distill4j writes to a path a
 * user chose. A path may be written when it does not exist, is an empty folder (for a folder
 * output), or holds an output of the same {@link OutputKind} that distill4j wrote before; anything
 * else (a user's file or folder, a link, an output of another kind, a file where a folder is wanted
 * or the reverse) is refused with an {@link OutputRefusedException} that says what is there,
 * unless the caller forces the replacement. The check also finds the folders that will be created
 * and proves the nearest existing one writable, so that an unwritable path fails before the work,
 * not after it. Writes go through {@link AtomicFile} and {@link AtomicFolder}: all or nothing.
 *
 * <pre>{@code
 * Output out = Output.check(Path.of("sel.csv"), OutputKinds.SELECTION_CSV, false);  // before loading data
 * ...                                                                               // hours of work
 * out.writeFile(stream -> ...);                                                     // checked again, then atomic
 * }</pre>
 */
public final class Output {
    /** What is at the path now. */
    public enum State {
        /** Nothing: the output will be created (with any missing parent folders). */
        NEW,
        /** An empty folder, or an empty file for a file output: nothing to lose. */
        EMPTY,
        /** An output of this kind that distill4j wrote before. */
        OURS,
        /** Something else, replaced because the caller forced it. */
        FORCED
    }

    private final Path path;
    private final Path abs;
    private final OutputKind kind;
    private final boolean force;
    private final State state;
    private final List<Path> createsFolders;

    private Output(Path path, Path abs, OutputKind kind, boolean force, State state, List<Path> createsFolders) {
        this.path = path;
        this.abs = abs;
        this.kind = kind;
        this.force = force;
        this.state = state;
        this.createsFolders = List.copyOf(createsFolders);
    }

    /**
     * Checks that an output of {@code kind} may be written at {@code path}: throws
     * {@link OutputRefusedException} when something there would be destroyed (and {@code force} is
     * off, or the path holds the working folder), and an {@code IOException} naming the path and
     * the system's reason when it cannot be written.
     */
    public static Output check(Path path, OutputKind kind, boolean force) throws IOException {
        Path abs = path.toAbsolutePath().normalize();
        if (abs.getParent() == null) {
            throw new OutputRefusedException(path, path + " is the root folder; choose another path", false);
        }
        List<Path> missing = new ArrayList<>();
        Path dir = abs.getParent();
        while (!Files.exists(dir)) {
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("cannot write " + path + ": " + dir + " is a broken link");
            }
            missing.add(0, dir);
            dir = dir.getParent();
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("cannot write " + path + ": " + dir + " is not a folder");
        }
        proveWritable(path, dir);
        State state = Files.exists(abs, LinkOption.NOFOLLOW_LINKS) ? stateOfExisting(path, abs, kind, force) : State.NEW;
        return new Output(path, abs, kind, force, state, missing);
    }

    /** The path as the caller gave it. */
    public Path path() {
        return path;
    }

    public OutputKind kind() {
        return kind;
    }

    public State state() {
        return state;
    }

    /** The folders that writing will create, outermost first (none when the parent exists). */
    public List<Path> createsFolders() {
        return createsFolders;
    }

    /** The outermost folder that writing will create, if any: what a summary should mention. */
    public Optional<Path> createsFolder() {
        return createsFolders.stream().findFirst();
    }

    /** Writes the file (a {@link OutputKind.File} output) atomically, after checking the path again. */
    public void writeFile(AtomicFile.ContentWriter writer) throws IOException {
        if (!(kind instanceof OutputKind.File)) {
            throw new IllegalStateException(path + " is checked as " + kind.description() + ", not a file");
        }
        recheck();
        if (!Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
            AtomicFile.write(path, writer);
            return;
        }
        // A folder replaced by a file, as forced: the folder is moved aside, then deleted.
        Path tmp;
        try {
            tmp = AtomicFile.writeTemporary(abs, writer);
        } catch (IOException e) {
            throw IoReasons.cannotWrite(path, e);
        }
        try {
            AtomicFolder.replace(path, abs, tmp);
        } finally {
            AtomicFile.deleteQuietly(tmp);
            PendingOutputs.done(tmp);
        }
    }

    /** Writes the folder (a {@link OutputKind.Folder} output) atomically, after checking the path again. */
    public void writeFolder(FolderWriter writer) throws IOException {
        OutputKind.Folder f = folderKind();
        recheck();
        AtomicFolder.write(path, f, writer::write);
    }

    /**
     * The folder, for outputs that grow file by file (a resumable protocol): an existing folder of
     * this kind is used as it is; otherwise {@code initial} writes its first files (the marker among
     * them) into a new folder that atomically takes the path's place. Returns the folder.
     */
    public Path openFolder(FolderWriter initial) throws IOException {
        OutputKind.Folder f = folderKind();
        if (recheck() != State.OURS) {
            AtomicFolder.write(path, f, initial::write);
        }
        return path;
    }

    /** What writes a folder output's files, into the (temporary) folder it is given. */
    @FunctionalInterface
    public interface FolderWriter {
        void write(Path folder) throws IOException;
    }

    /** The path may have changed since the check (hours ago): refuse what is there now, as the check would. */
    private State recheck() throws IOException {
        return check(path, kind, force).state();
    }

    private OutputKind.Folder folderKind() {
        if (!(kind instanceof OutputKind.Folder f)) {
            throw new IllegalStateException(path + " is checked as " + kind.description() + ", not a folder");
        }
        return f;
    }

    private static State stateOfExisting(Path path, Path abs, OutputKind kind, boolean force) throws IOException {
        String refusal;
        boolean folder = Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS);
        if (Files.isSymbolicLink(abs)) {
            refusal = "a symbolic link (to " + Files.readSymbolicLink(abs) + ")";
        } else if (!folder && !Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new OutputRefusedException(path, path + " is neither a file nor a folder; choose another path", false);
        } else if (kind.recognizes(abs)) {
            checkNotWorkingFolder(path, abs);
            return State.OURS;
        } else if (kind instanceof OutputKind.Folder && folder && isEmptyFolder(abs)) {
            checkNotWorkingFolder(path, abs);
            return State.EMPTY;
        } else if (kind instanceof OutputKind.File && !folder && Files.size(abs) == 0) {
            return State.EMPTY;
        } else {
            refusal = describe(abs, kind, folder);
        }
        if (!force) {
            throw new OutputRefusedException(path, "refusing to replace " + path + ": " + refusal, true);
        }
        checkNotWorkingFolder(path, abs);
        return State.FORCED;
    }

    private static String describe(Path abs, OutputKind want, boolean folder) throws IOException {
        OutputKind other = OutputKinds.recognize(abs);
        if (other != null) {
            return other.description() + ", not " + want.description();
        }
        if (want instanceof OutputKind.File) {
            return folder ? "a folder, not a file" : "a file that distill4j did not write" + firstLine(abs);
        }
        return folder ? "a folder that distill4j did not write (it holds " + someEntries(abs) + ")"
                : "a file, not a folder" + firstLine(abs);
    }

    /** Never replace the working folder, an ancestor of it, or the home folder: not even when forced. */
    private static void checkNotWorkingFolder(Path path, Path abs) throws OutputRefusedException {
        if (!Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path cwd = Path.of("").toAbsolutePath().normalize();
        Path home = Path.of(System.getProperty("user.home", "/")).toAbsolutePath().normalize();
        if (cwd.startsWith(abs) || abs.equals(home)) {
            throw new OutputRefusedException(path, path + " is " + (abs.equals(home) ? "the home folder" : cwd.equals(abs)
                    ? "the working folder" : "a folder that holds the working folder") + "; choose another path", false);
        }
    }

    private static void proveWritable(Path path, Path dir) throws IOException {
        Path probe = Siblings.temporary(dir.resolve(".distill4j-probe"));
        try {
            Files.createFile(probe);
        } catch (IOException e) {
            throw IoReasons.cannotWrite(path, e);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    private static boolean isEmptyFolder(Path dir) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        }
    }

    private static String someEntries(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        int n = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (n++ < 3) {
                    names.add(p.getFileName().toString());
                }
            }
        }
        names.sort(null);
        return String.join(", ", names) + (n > 3 ? " and " + (n - 3) + " more" : "");
    }

    private static String firstLine(Path file) {
        try (var r = Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            String line = r.readLine();
            if (line == null) {
                return "";
            }
            line = line.strip().replaceAll("[^\\x20-\\x7e]", "?");
            return " (first line: '" + (line.length() > 40 ? line.substring(0, 40) + "...'" : line + "'") + ")";
        } catch (IOException | RuntimeException binary) {
            return "";
        }
    }

}
