package org.distill4j.coreset;

/**
 * A static coreset method: one pass over what a {@link SelectionContext} knows, giving exactly
 * {@code budget} examples (never fewer, never more), the same ones for the same
 * {@link SelectionContext#seed()}. With {@link SelectionContext#balance()} the method runs inside
 * each class on {@link SelectionContext#classBudgets(int)}; otherwise over the whole set.
 */
public interface CoresetMethod {
    /** The command-line name, e.g. {@code kcenter}. */
    String name();

    Selection select(SelectionContext ctx, int budget);
}
