package org.distill4j.coreset.protocol;

import java.nio.file.Path;

/**
 * A results folder holds rows made with other pinned settings (results of different settings
 * never mix in one folder): resume with the same settings, use another folder, or force a fresh start.
 */
public final class OtherSettingsException extends IllegalArgumentException {
    private final Path folder;
    private final String difference;

    OtherSettingsException(Path folder, String difference) {
        super(folder + " holds results made with other settings (" + difference
                + "); use the same settings to resume, another folder, or force to start it afresh");
        this.folder = folder;
        this.difference = difference;
    }

    /** The folder, as the caller named it. */
    public Path folder() {
        return folder;
    }

    /** The first setting that differs, e.g. {@code lr 0.01, here 0.05}. */
    public String difference() {
        return difference;
    }
}
