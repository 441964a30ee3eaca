package org.distill4j.coreset;

/**
 * A coreset method that optimises a stated objective, which can be evaluated for any selection of
 * the same data: the single-machine greedy's own picks, or a selection made elsewhere (on
 * partitions, by a distributed engine) that should be compared with them.
 */
public interface Objective {
    /**
     * One objective value.
     *
     * @param name      what is measured, e.g. {@code facility-location} or {@code radius}
     * @param maximised true when higher is better (submodular values), false when lower is (radii, distances)
     */
    record Value(String name, double value, boolean maximised) {
        /** As a run reports it: {@code name}, {@code value}, {@code maximised}. */
        public java.util.Map<String, Object> toMap() {
            java.util.Map<String, Object> o = new java.util.LinkedHashMap<>();
            o.put("name", name);
            o.put("value", value);
            o.put("maximised", maximised);
            return o;
        }

        /**
         * How well {@code this} does against {@code reference}, as a ratio that is 1 when equal and
         * above 1 when {@code this} is better: {@code this / reference} for a maximised objective,
         * {@code reference / this} for a minimised one.
         */
        public double relativeTo(Value reference) {
            if (!name.equals(reference.name) || maximised != reference.maximised) {
                throw new IllegalArgumentException("cannot compare objective " + name + " with " + reference.name);
            }
            return maximised ? value / reference.value : reference.value / value;
        }
    }

    /**
     * The objective of the selection {@code indices} (positions into {@code ctx}'s data), measured the
     * way this method measures it while selecting: per class when {@code ctx} balances classes, with
     * the same features, distance or similarity.
     */
    Value objective(SelectionContext ctx, int[] indices);
}
