package org.distill4j.tour;

/**
 * One coreset run of a {@link Tour}: the {@code number}-th of {@code runs} (from 1), method
 * {@code method} at {@code fraction}, a fresh LeNet trained {@code epochs} epochs on its selection.
 */
public record TourRun(int number, int runs, String method, double fraction, int epochs) {
}
