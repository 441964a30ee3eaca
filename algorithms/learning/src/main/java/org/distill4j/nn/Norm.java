package org.distill4j.nn;

import org.distill4j.autodiff.NormOps;
import org.distill4j.autodiff.Var;

/** Normalisation layers: batch, instance, group and local response norm. */
public final class Norm implements Layer {
    private enum Kind { BATCH, INSTANCE, GROUP, LRN }

    private final Kind kind;
    private final int groups;
    private final double[] lrn;
    private String name;

    private Norm(Kind kind, int groups, double[] lrn) {
        this.kind = kind;
        this.groups = groups;
        this.lrn = lrn;
    }

    /** BatchNorm2d: affine, running statistics with momentum 0.1, eps 1e-5 (PyTorch defaults). */
    public static Norm batch() {
        return new Norm(Kind.BATCH, 0, null);
    }

    /** InstanceNorm with a learned per-channel affine (the DC/DM/MTT ConvNet's 'instancenorm'). */
    public static Norm instance() {
        return new Norm(Kind.INSTANCE, 0, null);
    }

    public static Norm group(int groups) {
        return new Norm(Kind.GROUP, groups, null);
    }

    /** LocalResponseNorm(size, alpha, beta, k), PyTorch's definition. */
    public static Norm localResponse(int size, double alpha, double beta, double k) {
        return new Norm(Kind.LRN, 0, new double[]{size, alpha, beta, k});
    }

    @Override
    public int[] build(String name, int[] in, ParamSpec spec) {
        this.name = name;
        int c = in[0];
        if (kind == Kind.GROUP && (groups <= 0 || c % groups != 0)) {
            throw new IllegalArgumentException(name + ": " + c + " channels cannot be split into " + groups + " groups");
        }
        if (kind != Kind.LRN) {
            spec.ones(name + ".weight", c);
            spec.zeros(name + ".bias", c);
        }
        if (kind == Kind.BATCH) {
            spec.buffer(name + ".running_mean", c, 0);
            spec.buffer(name + ".running_var", c, 1);
        }
        return in;
    }

    /** Whether {@link #forwardRelu} folds the ReLU into this norm's node (instance norm). */
    boolean foldsRelu() {
        return kind == Kind.INSTANCE;
    }

    /** {@code relu(forward(ctx, x))}, the ReLU folded into the affine's node where {@link #foldsRelu}. */
    Var forwardRelu(Context ctx, Var x) {
        if (!foldsRelu()) {
            return forward(ctx, x).relu();
        }
        Params p = ctx.params();
        return NormOps.instanceNormRelu(x, p.get(name + ".weight"), p.get(name + ".bias"), 1e-5);
    }

    @Override
    public Var forward(Context ctx, Var x) {
        Params p = ctx.params();
        return switch (kind) {
            case BATCH -> NormOps.batchNorm(x, p.get(name + ".weight"), p.get(name + ".bias"),
                    p.buffer(name + ".running_mean"), p.buffer(name + ".running_var"), ctx.training(), 0.1, 1e-5);
            case INSTANCE -> NormOps.instanceNorm(x, p.get(name + ".weight"), p.get(name + ".bias"), 1e-5);
            case GROUP -> NormOps.groupNorm(x, groups, p.get(name + ".weight"), p.get(name + ".bias"), 1e-5);
            case LRN -> NormOps.localResponseNorm(x, (int) lrn[0], lrn[1], lrn[2], lrn[3]);
        };
    }
}
