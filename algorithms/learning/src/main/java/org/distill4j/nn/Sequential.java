package org.distill4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.distill4j.autodiff.Var;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Shape;

/** A chain of named layers ending in a {@link Linear} classifier. */
public final class Sequential implements Model {
    private final String name;
    private final int[] inputShape;
    private final Init defaultInit;
    private final List<Layer> layers = new ArrayList<>();
    private final ParamSpec spec = new ParamSpec();
    private final Linear last;
    private final int embeddingSize;
    private final int classes;

    /** Layers alternate with their names: {@code "conv1", new Conv2d(...), "relu1", relu(), ...}. */
    public Sequential(String name, int[] inputShape, Init defaultInit, Object... namedLayers) {
        this.name = name;
        this.inputShape = inputShape.clone();
        this.defaultInit = defaultInit;
        if (namedLayers.length == 0 || namedLayers.length % 2 != 0) {
            throw new IllegalArgumentException("layers must come as name, layer pairs");
        }
        int[] shape = inputShape.clone();
        int[] beforeLast = shape;
        for (int i = 0; i < namedLayers.length; i += 2) {
            Layer layer = (Layer) namedLayers[i + 1];
            beforeLast = shape;
            shape = layer.build((String) namedLayers[i], shape, spec);
            layers.add(layer);
        }
        if (!(layers.get(layers.size() - 1) instanceof Linear lin)) {
            throw new IllegalArgumentException(name + ": the last layer must be Linear");
        }
        this.last = lin;
        if (shape.length != 1 || beforeLast.length != 1) {
            throw new IllegalArgumentException(name + ": output shape " + Shape.str(shape) + " is not [classes]");
        }
        this.embeddingSize = beforeLast[0];
        this.classes = shape[0];
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public Params init(Generator gen, DType dtype) {
        return spec.init(gen, dtype, defaultInit);
    }

    @Override
    public Params init(Generator gen, DType dtype, Init rule) {
        return spec.init(gen, dtype, rule);
    }

    private void checkInput(Var x) {
        int[] s = x.shape();
        if (s.length != inputShape.length + 1 || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length), inputShape)) {
            throw new IllegalArgumentException(name + " expects input [N, " + Shape.str(inputShape).substring(1)
                    + ", got " + Shape.str(s));
        }
    }

    @Override
    public Var forward(Params params, Var x, Mode mode, Generator gen) {
        return last.forward(new Layer.Context(params, mode, gen), features(params, x, mode, gen));
    }

    @Override
    public Var embed(Params params, Var x, Mode mode) {
        return features(params, x, mode, null);
    }

    private Var features(Params params, Var x, Mode mode, Generator gen) {
        checkInput(x);
        Layer.Context ctx = new Layer.Context(params, mode, gen);
        Var h = x;
        for (int i = 0; i < layers.size() - 1; i++) {
            Layer layer = layers.get(i);
            // An instance norm and the ReLU after it (ConvNet-3's blocks) run as one node: the same
            // values and gradients, bit for bit, one pass fewer each way and one activation fewer kept.
            if (layer instanceof Norm norm && norm.foldsRelu() && i + 1 < layers.size() - 1
                    && layers.get(i + 1) instanceof Activations.Relu) {
                h = norm.forwardRelu(ctx, h);
                i++;
                continue;
            }
            h = layer.forward(ctx, h);
        }
        return h;
    }

    @Override
    public int embeddingSize() {
        return embeddingSize;
    }

    @Override
    public String lastWeightName() {
        return last.weightName();
    }

    @Override
    public String lastBiasName() {
        return last.biasName();
    }

    @Override
    public int parameterCount() {
        return spec.parameterCount();
    }
}
