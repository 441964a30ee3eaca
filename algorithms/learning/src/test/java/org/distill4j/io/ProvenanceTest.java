package org.distill4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProvenanceTest {

    @Test
    void aCommitIsFortyHexDigitsMarkedDirtyOrUnknown() {
        String id = "0123456789abcdef0123456789abcdef01234567";
        assertEquals(id, Provenance.commitOf(id, "false"));
        assertEquals(id + "-dirty", Provenance.commitOf(id, "true"));
        assertEquals("unknown", Provenance.commitOf("${git.commit.id}", "${git.dirty}"));
        assertEquals("unknown", Provenance.commitOf("", "false"));
        assertEquals("unknown", Provenance.commitOf("0123abc", "false"));
    }

    @Test
    void stampRecordsVersionAndCommit() {
        Map<String, Object> p = Provenance.stamp(new LinkedHashMap<>());
        assertEquals(Provenance.version(), p.get("distill4j_version"));
        assertEquals(Provenance.commit(), p.get("distill4j_commit"));
    }

    /** Built inside a git repository (as every test run from a clone is), the build stamps the HEAD commit. */
    @Test
    void theBuildStampsTheCommitItWasBuiltFrom() throws IOException, InterruptedException {
        String head = gitHead();
        if (head == null) {
            assertEquals("unknown", Provenance.commit());
            return;
        }
        // HEAD may have moved since the build (a commit without a source change does not rebuild);
        // what the build stamped is a commit of this repository, in full.
        String stamped = Provenance.commit().replace("-dirty", "");
        assertTrue(stamped.matches("[0-9a-f]{40}"), "stamped commit: " + Provenance.commit());
        Process p = new ProcessBuilder("git", "cat-file", "-e", stamped + "^{commit}").redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "the stamped commit " + stamped + " is not in this repository");
    }

    private static String gitHead() throws IOException, InterruptedException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve(".git"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            return null;
        }
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException noGit) {
            return null;
        }
    }
}
