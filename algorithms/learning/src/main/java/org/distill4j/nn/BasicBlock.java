package org.distill4j.nn;

import org.distill4j.autodiff.Var;

/**
 * ResNet's basic block (He et al. 2016): two 3x3 conv + batch-norm stages and a shortcut, which is
 * a 1x1 conv + batch norm when the block changes the resolution or the channel count.
 */
public final class BasicBlock implements Layer {
    private final int out;
    private final int stride;
    private final Conv2d conv1;
    private final Norm bn1 = Norm.batch();
    private final Conv2d conv2;
    private final Norm bn2 = Norm.batch();
    private Conv2d shortcut;
    private Norm shortcutBn;

    public BasicBlock(int out, int stride) {
        this.out = out;
        this.stride = stride;
        this.conv1 = new Conv2d(out, 3, stride, 1, false);
        this.conv2 = new Conv2d(out, 3, 1, 1, false);
    }

    @Override
    public int[] build(String name, int[] in, ParamSpec spec) {
        int[] s = conv1.build(name + ".conv1", in, spec);
        bn1.build(name + ".bn1", s, spec);
        s = conv2.build(name + ".conv2", s, spec);
        bn2.build(name + ".bn2", s, spec);
        if (stride != 1 || in[0] != out) {
            shortcut = new Conv2d(out, 1, stride, 0, false);
            shortcutBn = Norm.batch();
            shortcutBn.build(name + ".shortcut.bn", shortcut.build(name + ".shortcut.conv", in, spec), spec);
        }
        return s;
    }

    @Override
    public Var forward(Context ctx, Var x) {
        Var y = bn1.forward(ctx, conv1.forward(ctx, x)).relu();
        y = bn2.forward(ctx, conv2.forward(ctx, y));
        Var skip = shortcut == null ? x : shortcutBn.forward(ctx, shortcut.forward(ctx, x));
        return y.add(skip).relu();
    }
}
