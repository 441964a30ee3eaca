package org.distill4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every differentiable op against central finite differences in float64, first and second order,
 * on small random shapes that include broadcasting and non-contiguous views.
 */
class OpGradCheckTest {
    private final Generator gen = new Generator(2024);
    private final List<DynamicTest> tests = new ArrayList<>();

    private Tensor randn(int... shape) {
        return Tensor.randn(gen, DType.F64, shape);
    }

    /** Values in [lo, hi): keeps log, sqrt and pow away from their singularities. */
    private Tensor uniform(double lo, double hi, int... shape) {
        return Tensor.uniform(gen, DType.F64, lo, hi, shape);
    }

    /** The ops that the registered cases record, in their forward graphs and in their gradients' graphs. */
    private final Set<String> covered = new TreeSet<>();

    private void both(String name, Function<Var[], Var> f, Tensor... inputs) {
        tests.add(DynamicTest.dynamicTest(name, () -> GradCheck.check(f, inputs)));
        tests.add(DynamicTest.dynamicTest(name + " (second order)", () -> GradCheck.checkSecondOrder(f, inputs)));
        Var[] x = new Var[inputs.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = Var.param(inputs[i]);
        }
        Var y = f.apply(x);
        collectOps(y, covered);
        Var weighted = y.mul(Var.constant(Tensor.uniform(new Generator(1), DType.F64, 0.5, 1.5, y.value().shape()))).sum();
        for (Var g : Autodiff.grad(weighted, true, x)) {
            if (g != null) {
                collectOps(g, covered);
            }
        }
    }

    private static void collectOps(Var root, Set<String> into) {
        java.util.ArrayDeque<Var> todo = new java.util.ArrayDeque<>(List.of(root));
        Set<Var> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!todo.isEmpty()) {
            Var v = todo.pop();
            if (v == null || v.node == null || !seen.add(v)) {
                continue;
            }
            into.add(v.node.op);
            for (Var in : v.node.inputs()) {
                if (in != null) {
                    todo.push(in);
                }
            }
        }
    }

    /** The op names that the autodiff sources record: {@code Var.record("name", ...)}. */
    static Set<String> declaredOps() throws java.io.IOException {
        Set<String> declared = new TreeSet<>();
        java.util.regex.Pattern record = java.util.regex.Pattern.compile("Var\\.record\\(\"([A-Za-z0-9]+)\"");
        try (Stream<java.nio.file.Path> files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/java/org/distill4j/autodiff"))) {
            for (java.nio.file.Path f : files.toList()) {
                java.util.regex.Matcher m = record.matcher(java.nio.file.Files.readString(f));
                while (m.find()) {
                    declared.add(m.group(1));
                }
            }
        }
        return declared;
    }

    /** The ops that the cases of every test factory (every {@code @TestFactory} method here) record. */
    static Set<String> coveredOps() {
        OpGradCheckTest all = new OpGradCheckTest();
        for (java.lang.reflect.Method m : OpGradCheckTest.class.getDeclaredMethods()) {
            if (m.isAnnotationPresent(TestFactory.class)) {
                try {
                    m.invoke(all);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("test factory " + m.getName(), e);
                }
            }
        }
        return all.covered;
    }

    /**
     * Every op that the autodiff sources record appears in some case above, in a forward graph or
     * a gradient's graph (so it is checked at first and second order): a new op without a
     * gradcheck case fails here.
     */
    @Test
    void everyRecordedOpHasAGradCheckCase() throws java.io.IOException {
        Set<String> declared = declaredOps();
        assertTrue(declared.size() > 40 && declared.contains("conv2dBackwardWeight"), "found the ops in the sources: " + declared);
        Set<String> missing = new TreeSet<>(declared);
        missing.removeAll(coveredOps());
        assertEquals(Set.of(), missing, "ops recorded on the tape with no gradcheck case");
    }

    @TestFactory
    Stream<DynamicTest> elementwise() {
        both("add broadcast", x -> x[0].add(x[1]), randn(3, 4), randn(4));
        both("sub broadcast", x -> x[0].sub(x[1]), randn(2, 1, 3), randn(4, 1));
        both("mul broadcast", x -> x[0].mul(x[1]), randn(3, 4), randn(3, 1));
        both("div", x -> x[0].div(x[1]), randn(3, 4), uniform(0.5, 2, 4));
        both("pow var", x -> x[0].pow(x[1]), uniform(0.5, 2, 2, 3), randn(2, 3));
        both("pow scalar", x -> x[0].pow(3.0), randn(5));
        both("pow fractional", x -> x[0].pow(0.75), uniform(0.5, 2, 5));
        both("affine", x -> x[0].mul(-2.5).add(1), randn(4));
        both("neg", x -> x[0].neg(), randn(4));
        both("square", x -> x[0].square(), randn(2, 3));
        both("exp", x -> x[0].exp(), randn(2, 3));
        both("log", x -> x[0].log(), uniform(0.3, 3, 2, 3));
        both("sqrt", x -> x[0].sqrt(), uniform(0.3, 3, 2, 3));
        both("abs", x -> x[0].abs().mul(x[0]), randn(6));
        both("relu", x -> x[0].relu().mul(x[0]), randn(6));
        both("leakyRelu", x -> ElementwiseOps.leakyRelu(x[0], 0.1).square(), randn(6));
        both("sigmoid", x -> x[0].sigmoid(), randn(2, 3));
        both("tanh", x -> x[0].tanh(), randn(2, 3));
        both("softplus", x -> x[0].mul(3).softplus(), randn(2, 3));
        both("clamp", x -> ElementwiseOps.clamp(x[0], -0.5, 0.5).mul(x[0]), randn(8));
        Tensor cond = Elementwise.unary(org.distill4j.kernels.UnaryOp.STEP, randn(3, 4));
        both("where broadcast", x -> ElementwiseOps.where(cond, x[0], x[1]).square(), randn(3, 4), randn(4));
        both("non-contiguous view", x -> x[0].transpose(0, 1).mul(x[1]).exp(), randn(3, 2), randn(2, 3));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> gemm() {
        both("matmul", x -> x[0].matmul(x[1]), randn(3, 4), randn(4, 2));
        both("matmul transposed views", x -> x[0].mT().matmul(x[1].mT()), randn(4, 3), randn(2, 4));
        both("matmul batch broadcast", x -> x[0].matmul(x[1]), randn(2, 3, 4), randn(4, 2));
        both("matmul batch both", x -> x[0].matmul(x[1]), randn(2, 1, 2, 3), randn(3, 3, 2));
        both("linear", x -> GemmOps.linear(x[0], x[1], x[2]).tanh(), randn(3, 4), randn(2, 4), randn(2));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> conv() {
        both("conv2d pad 1", x -> ConvOps.conv2d(x[0], x[1], x[2], 1, 1), randn(2, 2, 4, 4), randn(3, 2, 3, 3), randn(3));
        both("conv2d bias tanh", x -> ConvOps.conv2d(x[0], x[1], x[2], 1, 0).tanh(), randn(2, 2, 4, 4), randn(3, 2, 2, 2),
                randn(3));
        both("conv2d stride 2", x -> ConvOps.conv2d(x[0], x[1], 2, 2, 0, 0).square(), randn(1, 2, 5, 5), randn(2, 2, 3, 3));
        both("conv2d non-square", x -> ConvOps.conv2d(x[0], x[1], 1, 2, 1, 0).tanh(), randn(1, 1, 4, 5), randn(2, 1, 2, 3));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> pool() {
        both("maxPool2d", x -> PoolOps.maxPool2d(x[0], 2, 2, 0).square(), randn(2, 2, 4, 4));
        both("maxPool2d overlapping pad", x -> PoolOps.maxPool2d(x[0], 3, 2, 1).square(), randn(1, 2, 5, 5));
        both("avgPool2d pad", x -> PoolOps.avgPool2d(x[0], 3, 2, 1).square(), randn(1, 2, 5, 5));
        both("conv relu pool chain", x -> PoolOps.maxPool2d(ConvOps.conv2d(x[0], x[1], null, 1, 1).relu(), 2, 2, 0)
                .sum(new int[]{1, 2, 3}, false).square(), randn(2, 1, 4, 4), randn(2, 1, 3, 3));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> reduce() {
        both("sum axes", x -> x[0].sum(new int[]{0, 2}, false).square(), randn(2, 3, 4));
        both("sum all", x -> x[0].square().sum(), randn(3, 2));
        both("mean keepdims", x -> x[0].mean(new int[]{-1}, true).mul(x[0]), randn(3, 4));
        both("max axis", x -> x[0].max(new int[]{1}, false).square(), randn(3, 5));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> softmax() {
        both("logSoftmax", x -> SoftmaxOps.logSoftmax(x[0], 1), randn(3, 4));
        both("softmax axis 0", x -> SoftmaxOps.softmax(x[0], 0), randn(3, 4));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> norm() {
        both("instanceNorm affine", x -> NormOps.instanceNorm(x[0], x[1], x[2], 1e-5).tanh(),
                randn(2, 3, 3, 3), randn(3), randn(3));
        both("instanceNorm relu", x -> NormOps.instanceNormRelu(x[0], x[1], x[2], 1e-5).tanh(),
                randn(2, 3, 3, 3), randn(3), randn(3));
        both("groupNorm", x -> NormOps.groupNorm(x[0], 2, x[1], x[2], 1e-5).tanh(), randn(2, 4, 2, 2), randn(4), randn(4));
        both("batchNorm train", x -> NormOps.batchNorm(x[0], x[1], x[2], null, null, true, 0.1, 1e-5).tanh(),
                randn(3, 2, 2, 2), randn(2), randn(2));
        Tensor mean = randn(2);
        Tensor var = uniform(0.5, 2, 2);
        both("batchNorm eval", x -> NormOps.batchNorm(x[0], x[1], x[2], mean, var, false, 0.1, 1e-5).tanh(),
                randn(3, 2, 2, 2), randn(2), randn(2));
        both("localResponseNorm odd", x -> NormOps.localResponseNorm(x[0], 3, 0.5, 0.75, 1.0), randn(2, 4, 2, 2));
        both("localResponseNorm even", x -> NormOps.localResponseNorm(x[0], 4, 0.5, 0.75, 1.0), randn(1, 5, 2, 1));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> indexing() {
        Tensor idx = Tensor.fromInts(new int[]{2, 0, 2, 1}, 4);
        both("indexSelect", x -> IndexingOps.indexSelect(x[0], 1, idx).square(), randn(2, 3, 2));
        both("indexAdd", x -> IndexingOps.indexAdd(new int[]{3, 2}, 0, idx, x[0]).square(), randn(4, 2));
        Tensor rows = Tensor.fromInts(new int[]{1, 0, 3}, 3);
        both("gatherRows", x -> IndexingOps.gatherRows(x[0], rows).square(), randn(3, 4));
        both("scatterRows", x -> IndexingOps.scatterRows(x[0], rows, 4).exp(), randn(3));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> shapes() {
        both("reshape", x -> x[0].reshape(4, 3).matmul(x[1]), randn(2, 6), randn(3, 2));
        both("permute", x -> x[0].permute(2, 0, 1).square().sum(new int[]{0}, false), randn(2, 3, 4));
        both("slice with step", x -> x[0].slice(1, 1, 4).mul(ShapeOps.slice(x[0], 1, 0, 5, 2)), randn(3, 5));
        both("select", x -> ShapeOps.select(x[0], 0, 1).square(), randn(3, 4));
        both("expand", x -> x[0].expand(3, 4).mul(x[1]), randn(1, 4), randn(3, 4));
        both("unsqueeze squeeze", x -> x[0].unsqueeze(1).mul(x[1]).squeeze(1).square(), randn(3, 4), randn(3, 1, 4));
        both("concat", x -> ShapeOps.concat(1, x[0], x[1]).square(), randn(2, 3), randn(2, 2));
        both("stack", x -> ShapeOps.stack(0, x[0], x[1]).exp(), randn(2, 3), randn(2, 3));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> resample() {
        // Grid sampling: a shared grid and one grid per image, points inside, between and outside
        // the pixels; whole-pixel points (a shift) too. The grid is a constant.
        Tensor shared = uniform(-1.5, 5.5, 1, 3, 4, 2);
        both("gridSample shared grid", x -> ResampleOps.gridSample(x[0], shared).square(), randn(2, 2, 4, 5));
        Tensor perImage = uniform(-1.2, 1.2, 2, 4, 3, 2);
        both("gridSample normalised grid per image", x -> ResampleOps.gridSample(x[0], perImage, true).tanh(),
                randn(2, 1, 3, 4));
        Tensor theta = randn(2, 2, 3);
        both("affineGrid then gridSample", x -> ResampleOps.gridSample(x[0],
                ResampleOps.affineGrid(Var.constant(theta), 3, 3, false).value(), false).exp(), randn(2, 1, 3, 3));
        both("affineGrid", x -> ResampleOps.affineGrid(x[0], 3, 4, true).square(), randn(2, 2, 3));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> rng() {
        both("dropout", x -> RngOps.dropout(x[0], 0.3, new Generator(9), true).square(), randn(4, 5));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> losses() {
        Tensor labels = Tensor.fromInts(new int[]{2, 0, 1}, 3);
        both("crossEntropy hard", x -> LossOps.crossEntropy(x[0], labels), randn(3, 4));
        both("crossEntropy soft", x -> LossOps.crossEntropy(x[0], SoftmaxOps.softmax(x[1], 1)), randn(3, 4), randn(3, 4));
        both("mse", x -> LossOps.mse(x[0], x[1]), randn(3, 2), randn(3, 2));
        both("bceWithLogits", x -> LossOps.bceWithLogits(x[0], x[1].sigmoid()), randn(5), randn(5));
        return tests.stream();
    }

    @Test
    void gradCheckCatchesAWrongRule() {
        // d/dx of this "op" claims 3x^2 + 1 for x^3: gradcheck must notice.
        Function<Var[], Var> wrong = x -> Var.record("wrongCube", Elementwise.unary(org.distill4j.kernels.UnaryOp.POW,
                x[0].value(), 3, 0), g -> new Var[]{g.mul(x[0].square().mul(3).add(1))}, x[0]);
        assertThrows(AssertionError.class, () -> GradCheck.check(wrong, randn(4)));
        // Right first derivative, wrong second: the rule's derivative is cut (detached), so only gradgradcheck fails.
        Function<Var[], Var> detached = x -> Var.record("detachedCube", Elementwise.unary(org.distill4j.kernels.UnaryOp.POW,
                x[0].value(), 3, 0), g -> new Var[]{g.mul(x[0].detach().square().mul(3))}, x[0]);
        GradCheck.check(detached, randn(4));
        assertThrows(AssertionError.class, () -> GradCheck.checkSecondOrder(detached, randn(4)));
    }
}
