package org.distill4j.nn;

import org.distill4j.autodiff.Var;

/**
 * One stage of a {@link Sequential} model. A layer is built once for an input shape (without the
 * batch axis), declaring its parameters under its name; after that its forward pass reads them
 * from the {@link Params} in the {@link Context}, never from fields.
 */
public interface Layer {
    /** Declares parameters as {@code name.weight} etc. and returns the output shape for input {@code in}. */
    int[] build(String name, int[] in, ParamSpec spec);

    Var forward(Context ctx, Var x);

    /** What a forward pass needs besides the input: parameters, mode, and a generator for dropout. */
    record Context(Params params, Mode mode, org.distill4j.tensor.Generator generator) {
        public boolean training() {
            return mode == Mode.TRAIN;
        }
    }
}
