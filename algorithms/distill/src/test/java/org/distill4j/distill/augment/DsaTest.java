package org.distill4j.distill.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.distill4j.autodiff.GradCheck;
import org.distill4j.autodiff.Var;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Resample;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Differentiable Siamese augmentation: Siamese draws, identities, each group against its definition, gradients. */
class DsaTest {
    private static final Dsa.Params D = Dsa.Params.defaults();

    private static Tensor images(int n, int c, int h, int w, long seed) {
        return Tensor.randn(new Generator(seed), DType.F64, n, c, h, w);
    }

    private static Dsa only(Dsa.Group g, Dsa.Params p) {
        return new Dsa(List.of(g), p, Dsa.Mode.SINGLE, true);
    }

    @Test
    void theSameSeedTransformsBatchesOfAnySizeAlike() {
        Tensor big = images(6, 3, 9, 8, 1);
        Tensor small = big.slice(0, 0, 2).contiguous();
        for (Dsa dsa : new Dsa[]{Dsa.defaults(), Dsa.defaults().perImage(), Dsa.defaults().withMode(Dsa.Mode.MULTIPLE),
            Dsa.defaults().withMode(Dsa.Mode.MULTIPLE).perImage()}) {
            for (long seed = 0; seed < 30; seed++) {
                double[] a = dsa.apply(Var.constant(big), seed).value().slice(0, 0, 2).contiguous().toDoubleArray();
                double[] b = dsa.apply(Var.constant(small), seed).value().toDoubleArray();
                assertArrayEquals(a, b, 0, dsa + " seed " + seed);
            }
        }
    }

    @Test
    void siameseAppliesOneTransformationToTheWholeBatch() {
        // Two copies of one image stay equal under a Siamese draw, and mostly differ per image.
        Tensor one = images(1, 1, 8, 8, 2);
        Tensor two = org.distill4j.tensor.Indexing.stack(0, one.select(0, 0), one.select(0, 0));
        int differ = 0;
        for (long seed = 0; seed < 40; seed++) {
            Tensor s = Dsa.defaults().apply(Var.constant(two), seed).value();
            assertArrayEquals(s.select(0, 0).contiguous().toDoubleArray(), s.select(0, 1).contiguous().toDoubleArray(), 0);
            Tensor p = Dsa.defaults().perImage().apply(Var.constant(two), seed).value();
            if (!java.util.Arrays.equals(p.select(0, 0).contiguous().toDoubleArray(), p.select(0, 1).contiguous().toDoubleArray())) {
                differ++;
            }
        }
        assertTrue(differ > 20, "per-image draws differ between images: " + differ + " of 40");
    }

    @Test
    void modeSinglePicksEveryGroupAndMultipleAppliesAll() {
        Dsa dsa = Dsa.defaults();
        Set<Dsa.Group> seen = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            List<Dsa.Group> g = dsa.groups(seed);
            assertEquals(1, g.size());
            seen.add(g.get(0));
        }
        assertEquals(Set.of(Dsa.Group.values()), seen);
        assertEquals(List.of(Dsa.Group.values()), dsa.withMode(Dsa.Mode.MULTIPLE).groups(7));
        assertEquals(Dsa.DEFAULT_STRATEGY, dsa.strategy());
        assertThrows(IllegalArgumentException.class, () -> Dsa.of("color_blur"));
        assertThrows(IllegalArgumentException.class, () -> Dsa.of(""));
    }

    @Test
    void identityParametersLeaveImagesExactly() {
        Tensor x = images(3, 3, 7, 6, 3);
        Dsa.Params none = new Dsa.Params(1.0, 0, 0, 0, 0, 1.0, 0.5, 0, true);
        for (Dsa.Group g : new Dsa.Group[]{Dsa.Group.CROP, Dsa.Group.CUTOUT, Dsa.Group.FLIP, Dsa.Group.SCALE,
            Dsa.Group.ROTATE}) {
            for (Dsa dsa : new Dsa[]{only(g, none), only(g, none).perImage()}) {
                for (long seed = 0; seed < 5; seed++) {
                    assertArrayEquals(x.toDoubleArray(), dsa.apply(Var.constant(x), seed).value().toDoubleArray(), 0,
                            g + " seed " + seed);
                }
            }
        }
        Tensor gray = images(2, 1, 5, 5, 4);
        // Brightness 0 and saturation on one channel leave the contrast step, (x - m) r + m with r in [0, 1).
        Var out = only(Dsa.Group.COLOR, new Dsa.Params(1.2, 15, 0.125, 0.5, 0, 2.0, 0, 0.5, true)).apply(Var.constant(gray), 9);
        double[] xv = gray.toDoubleArray();
        double[] yv = out.value().toDoubleArray();
        for (int b = 0; b < 2; b++) {
            double m = 0;
            for (int i = 0; i < 25; i++) {
                m += xv[b * 25 + i] / 25;
            }
            double r = (yv[b * 25] - m) / (xv[b * 25] - m);
            assertTrue(r >= 0 && r < 1, "contrast factor " + r);
            for (int i = 0; i < 25; i++) {
                assertEquals((xv[b * 25 + i] - m) * r + m, yv[b * 25 + i], 1e-12);
            }
        }
    }

    @Test
    void cropIsAShiftWithZeroFillAndFlipReversesRows() {
        Tensor x = images(2, 2, 8, 8, 5);
        for (long seed = 0; seed < 10; seed++) {
            double[] y = only(Dsa.Group.CROP, D).apply(Var.constant(x), seed).value().toDoubleArray();
            double[] xv = x.toDoubleArray();
            // Find the shift from the first plane, then check every plane against it.
            int found = 0;
            for (int tx = -1; tx <= 1; tx++) {
                for (int ty = -1; ty <= 1; ty++) {
                    boolean ok = true;
                    for (int p = 0; p < 4 && ok; p++) {
                        for (int i = 0; i < 8 && ok; i++) {
                            for (int j = 0; j < 8 && ok; j++) {
                                int si = i + tx;
                                int sj = j + ty;
                                double want = si >= 0 && si < 8 && sj >= 0 && sj < 8 ? xv[p * 64 + si * 8 + sj] : 0;
                                ok = want == y[p * 64 + i * 8 + j];
                            }
                        }
                    }
                    found += ok ? 1 : 0;
                }
            }
            assertEquals(1, found, "crop of 8 pixels shifts by -1, 0 or 1 on each axis (seed " + seed + ")");
        }
        Dsa.Params always = new Dsa.Params(1.2, 15, 0.125, 0.5, 1, 2, 0.5, 1.0, true);
        double[] f = only(Dsa.Group.FLIP, always).apply(Var.constant(x), 3).value().toDoubleArray();
        double[] xv = x.toDoubleArray();
        for (int p = 0; p < 4; p++) {
            for (int i = 0; i < 8; i++) {
                for (int j = 0; j < 8; j++) {
                    assertEquals(xv[p * 64 + i * 8 + 7 - j], f[p * 64 + i * 8 + j], 0);
                }
            }
        }
    }

    @Test
    void cutoutZeroesOneSquareOfHalfTheSide() {
        Tensor x = Tensor.full(DType.F64, 1.0, 1, 1, 28, 28);
        for (long seed = 0; seed < 20; seed++) {
            double[] y = only(Dsa.Group.CUTOUT, D).apply(Var.constant(x), seed).value().toDoubleArray();
            int zeros = 0;
            int r0 = 28;
            int r1 = -1;
            for (int i = 0; i < 28 * 28; i++) {
                if (y[i] == 0) {
                    zeros++;
                    r0 = Math.min(r0, i / 28);
                    r1 = Math.max(r1, i / 28);
                }
            }
            assertTrue(zeros > 0 && zeros <= 14 * 14 && r1 - r0 + 1 <= 14, "seed " + seed + ": " + zeros + " zeros");
        }
    }

    @Test
    void affineGridsAreTorchAffineGridThenGridSample() {
        // Dsa builds the pixel grid in double directly; it must be F.affine_grid + the unnormalisation.
        Generator gen = new Generator(6);
        for (boolean align : new boolean[]{true, false}) {
            for (int[] hw : new int[][]{{28, 28}, {5, 7}}) {
                Tensor theta = Tensor.randn(gen, DType.F64, 1, 2, 3);
                double[] t = theta.toDoubleArray();
                double[] mine = Dsa.pixelGrid(t, hw[0], hw[1], align);
                double[] torch = Resample.toPixels(Resample.affineGrid(theta, hw[0], hw[1], align), hw[0], hw[1], align)
                        .contiguous().toDoubleArray();
                assertArrayEquals(torch, mine, 1e-12);
            }
        }
        // Rotating by 90 degrees about the centre moves the pixel (0, 0) of a 5 x 5 image to (0, 4).
        double[] g = Dsa.pixelGrid(new double[]{0, -1, 0, 1, 0, 0}, 5, 5, true);
        assertEquals(4, g[0], 1e-12);
        assertEquals(0, g[1], 1e-12);
    }

    @Test
    void gradientsFlowToTheImages() {
        for (Dsa.Group g : Dsa.Group.values()) {
            for (Dsa dsa : new Dsa[]{only(g, D), only(g, D).perImage()}) {
                for (long seed : new long[]{1, 2}) {
                    GradCheck.check(x -> dsa.apply(x[0], seed).square(), images(2, 2, 5, 6, 7));
                }
            }
        }
        // A function of the images through every group at once (mode M) and its second order.
        Dsa all = Dsa.defaults().withMode(Dsa.Mode.MULTIPLE);
        GradCheck.check(x -> all.apply(x[0], 4).tanh(), images(2, 3, 5, 5, 8));
        GradCheck.checkSecondOrder(x -> all.apply(x[0], 4).tanh(), images(1, 2, 4, 4, 9));
    }

    @Test
    void ofNamesNoneOrASiameseOrPerImageDsaAndRecordsItsName() {
        assertSame(Augmentation.NONE, Dsa.of("none", Dsa.Params.defaults(), Dsa.Mode.SINGLE, true));
        Augmentation a = Dsa.of("flip_crop", Dsa.Params.defaults(), Dsa.Mode.MULTIPLE, false);
        assertTrue(a instanceof Dsa d && d.strategy().equals("flip_crop") && d.mode() == Dsa.Mode.MULTIPLE && !d.siamese(),
                String.valueOf(a));
        assertThrows(IllegalArgumentException.class, () -> Dsa.of("flop", Dsa.Params.defaults(), Dsa.Mode.SINGLE, true));
        assertEquals("none", Dsa.recordedName("none", Dsa.Mode.MULTIPLE));
        assertEquals("flip_crop", Dsa.recordedName("flip_crop", Dsa.Mode.SINGLE));
        assertEquals("flip_crop (aug_mode M)", Dsa.recordedName("flip_crop", Dsa.Mode.MULTIPLE));
    }
}
