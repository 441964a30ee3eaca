package org.distill4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKind;
import picocli.CommandLine.Option;

/** {@code --force}, for commands that write an output, and the check of that output before any work. */
public final class ForceOption {
    @Option(names = "--force", description = "Replace what is at the output path even if distill4j did not write it "
            + "(it is replaced whole, once the new output is complete). Without it such a path is refused before any work.")
    boolean force;

    /** Checks {@code path} for an output of {@code kind}: refused or unwritable paths fail here, before any work. */
    Output check(Path path, OutputKind kind) throws IOException {
        return Output.check(path, kind, force);
    }
}
