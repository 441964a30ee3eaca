package org.distill4j.data;

/**
 * A data set's training and test splits, both normalised per channel with {@code norm} (usually
 * the training split's own mean and std): what training, selection and distillation read.
 */
public record Splits(Dataset train, Dataset test, Normalization norm) {
}
