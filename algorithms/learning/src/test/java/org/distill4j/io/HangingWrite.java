package org.distill4j.io;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A program that stops in the middle of writing an output, for the test that interrupts it:
 * {@code HangingWrite file|folder PATH} writes part of a selection CSV or a distilled-set folder,
 * prints {@code writing}, and waits to be killed.
 */
public final class HangingWrite {
    private HangingWrite() {
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[1]);
        if (args[0].equals("file")) {
            Output.check(target, OutputKinds.SELECTION_CSV, false).writeFile(out -> {
                out.write("index,label,weight,score\n1,2,".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
                hang();
            });
        } else {
            Output.check(target, OutputKinds.DISTILLED_SET, false).writeFolder(dir -> {
                Files.writeString(dir.resolve("meta.json"), "{\"kind\": \"distill4j/distilled-set\"}");
                Files.writeString(dir.resolve("images.npy"), "half");
                hang();
            });
        }
    }

    private static void hang() {
        System.out.println("writing");
        System.out.flush();
        try {
            Thread.sleep(120_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
