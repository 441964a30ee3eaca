package org.distill4j.coreset.protocol;

/**
 * One run of the protocol, still to do or under way: select with {@code method} a {@code fraction}
 * of the training set, using the selection model of {@code seed}, then train a fresh model (same
 * seed) on the selection and test it. Its result is a {@link ProtocolRow}.
 */
public record ProtocolRun(String method, double fraction, long seed) {
}
