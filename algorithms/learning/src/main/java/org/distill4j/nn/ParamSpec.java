package org.distill4j.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.distill4j.autodiff.Var;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;

/** The parameters and buffers layers declare while a model is built, and how to initialise them. */
public final class ParamSpec {
    enum Kind { WEIGHT, BIAS, ONES, ZEROS }

    record Entry(String name, int[] shape, Kind kind, int fanIn) {
    }

    private final List<Entry> params = new ArrayList<>();
    private final List<Entry> buffers = new ArrayList<>();

    /** A weight drawn with the model's initialiser. */
    public void weight(String name, int... shape) {
        params.add(new Entry(name, shape, Kind.WEIGHT, Init.fanIn(shape)));
    }

    /** A bias for a layer of fan-in {@code fanIn}: PyTorch's default uniform, or zeros under other initialisers. */
    public void bias(String name, int fanIn, int size) {
        params.add(new Entry(name, new int[]{size}, Kind.BIAS, fanIn));
    }

    public void ones(String name, int size) {
        params.add(new Entry(name, new int[]{size}, Kind.ONES, 0));
    }

    public void zeros(String name, int size) {
        params.add(new Entry(name, new int[]{size}, Kind.ZEROS, 0));
    }

    /** A non-trainable tensor, zeros or ones. */
    public void buffer(String name, int size, double value) {
        buffers.add(new Entry(name, new int[]{size}, value == 0 ? Kind.ZEROS : Kind.ONES, 0));
    }

    /** Fresh parameters: entry {@code i} draws from {@code gen.fork(i)}, so adding a layer shifts no other layer's numbers. */
    public Params init(Generator gen, DType dtype, Init rule) {
        LinkedHashMap<String, Var> vars = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            Entry e = params.get(i);
            Generator g = gen.fork(i);
            Tensor t = switch (e.kind) {
                case WEIGHT -> rule.weight(g, dtype, e.shape);
                case BIAS -> rule.bias(g, dtype, e.fanIn, e.shape[0]);
                case ONES -> Tensor.ones(dtype, e.shape);
                case ZEROS -> Tensor.zeros(dtype, e.shape);
            };
            if (vars.put(e.name, Var.param(t)) != null) {
                throw new IllegalStateException("parameter '" + e.name + "' declared twice");
            }
        }
        LinkedHashMap<String, Tensor> bufs = new LinkedHashMap<>();
        for (Entry e : buffers) {
            Tensor t = Tensor.zeros(dtype, e.shape);
            bufs.put(e.name, e.kind == Kind.ONES ? Elementwise.fullLike(t, 1) : t);
        }
        return new Params(vars, bufs);
    }

    public int parameterCount() {
        int n = 0;
        for (Entry e : params) {
            n += org.distill4j.tensor.Shape.size(e.shape);
        }
        return n;
    }
}
