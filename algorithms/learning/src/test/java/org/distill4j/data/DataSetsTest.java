package org.distill4j.data;

import static org.distill4j.data.TestFiles.cifarFolder;
import static org.distill4j.data.TestFiles.idxImages;
import static org.distill4j.data.TestFiles.idxLabels;
import static org.distill4j.data.TestFiles.idxSplit;
import static org.distill4j.data.TestFiles.numbered;
import static org.distill4j.data.TestFiles.pattern;
import static org.distill4j.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.distill4j.tensor.Npy;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSetsTest {
    @TempDir
    Path dir;

    @Test
    void knowsItsNamesAndDefaultFolders() throws IOException {
        assertEquals("fashion-mnist", DataSets.canonicalName("Fashion_MNIST"));
        assertEquals("cifar10", DataSets.canonicalName("CIFAR-10"));
        assertEquals("mnist", DataSets.canonicalName("mnist"));
        assertNull(DataSets.canonicalName("./mnist"));
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), DataSets.defaultDir("fashion-mnist", null));
        assertEquals(Path.of("/usr/share/datasets/mnist"), DataSets.defaultDir("mnist", ""));
        assertEquals(Path.of("data/cifar-10-batches-bin"), DataSets.defaultDir("cifar10", null));
        // DISTILL4J_DATA: the data set's own folder, or a parent with a subfolder per name.
        assertEquals(dir, DataSets.defaultDir("mnist", dir.toString()));
        Files.createDirectories(dir.resolve("mnist"));
        Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        assertEquals(dir.resolve("mnist"), DataSets.defaultDir("mnist", dir.toString()));
        assertEquals(dir.resolve("cifar-10-batches-bin"), DataSets.defaultDir("cifar10", dir.toString()));
        assertEquals(dir, DataSets.defaultDir("fashion-mnist", dir.toString()));
        assertThrows(IllegalArgumentException.class, () -> DataSets.defaultDir("imagenet"));
    }

    @Test
    void loadsNamedSetsFromTheGivenFolderOrItsSubfolder() throws IOException {
        idxSplit(dir, "train", 6);
        idxSplit(dir, "t10k", 4);
        Dataset train = DataSets.load("fashion-mnist", true, dir);
        assertEquals("fashion-mnist/train", train.name());
        assertEquals(6, train.size());
        assertEquals(10, train.classes(), "named IDX sets have 10 classes whatever the labels");
        assertEquals(4, DataSets.load("MNIST", false, dir).size());

        Path parent = dir.resolve("parent");
        idxSplit(parent.resolve("mnist"), "t10k", 3);
        assertEquals(3, DataSets.load("mnist", false, parent).size());
        cifarFolder(parent.resolve("cifar10"), 1, 2);
        assertEquals(2, DataSets.load("cifar10", false, parent).size());

        // Unzipped files in the dotted naming of the original MNIST archives are found too.
        Path dotted = dir.resolve("dotted");
        write(dotted.resolve("train-images.idx3-ubyte"), idxImages(2, 3, 4, pattern(2, 12)));
        write(dotted.resolve("train-labels.idx1-ubyte"), idxLabels(new byte[]{1, 0}));
        assertArrayEquals(new int[]{1, 0}, DataSets.load("mnist", true, dotted).labels());
    }

    @Test
    void normalizedSplitsUseTheTrainingSplitsStatistics() throws IOException {
        idxSplit(dir, "train", 6);
        idxSplit(dir, "t10k", 4);
        Splits s = DataSets.loadNormalized("fashion-mnist", dir, null);
        Normalization fitted = Normalization.fit(DataSets.load("fashion-mnist", true, dir));
        assertArrayEquals(fitted.mean(), s.norm().mean());
        assertArrayEquals(fitted.std(), s.norm().std());
        float[] x = s.train().images().toFloatArray();
        double mean = 0;
        for (float v : x) {
            mean += v / x.length;
        }
        assertEquals(0, mean, 1e-5, "the training split is centred by its own mean");
        float[] raw = DataSets.load("fashion-mnist", false, dir).images().toFloatArray();
        float[] test = s.test().images().toFloatArray();
        assertEquals((raw[3] - fitted.mean()[0]) / fitted.std()[0], test[3], 1e-5, "the test split uses the training statistics");

        Normalization given = Normalization.of(new double[]{0.5}, new double[]{2});
        assertEquals((raw[3] - 0.5) / 2, DataSets.loadNormalized("fashion-mnist", dir, given).test().images().toFloatArray()[3], 1e-6);
    }

    @Test
    void missingNamedSetsSayHowToGetThem() {
        Path empty = dir.resolve("nothing");
        String m = assertThrows(NoSuchFileException.class, () -> DataSets.load("fashion-mnist", true, empty)).getMessage();
        assertTrue(m.contains(empty.resolve("train-images-idx3-ubyte.gz").toString())
                && m.contains("apt-get install dataset-fashion-mnist"), m);
        m = assertThrows(NoSuchFileException.class, () -> DataSets.load("mnist", false, empty)).getMessage();
        assertTrue(m.contains("t10k-images-idx3-ubyte.gz") && m.contains("download") && m.contains("--data DIR"), m);
        m = assertThrows(NoSuchFileException.class, () -> DataSets.load("cifar10", true, empty)).getMessage();
        assertTrue(m.contains("data_batch_1.bin") && m.contains("binary version"), m);
    }

    @Test
    void loadsPathsByWhatTheyHold() throws IOException {
        Path idx = dir.resolve("my-idx");
        idxSplit(idx, "train", 5);
        Dataset fromIdx = DataSets.load(idx.toString(), true, null);
        assertEquals("my-idx/train", fromIdx.name());
        assertEquals(3, fromIdx.classes(), "a path's classes come from its labels");

        Path cifar = dir.resolve("c");
        cifarFolder(cifar, 1, 1);
        assertEquals(5, DataSets.load(cifar.toString(), true, null).size());

        Path csv = Files.writeString(dir.resolve("t.csv"), "x,y,label\n1,2,0\n3,4,1\n");
        assertEquals(2, DataSets.load(csv.toString(), true, null).size());

        Dataset d = numbered(4, 2, 3, 3, 2);
        Path npy = dir.resolve("npy");
        NpyFolder.write(npy, d);
        Dataset back = DataSets.load(npy.toString(), false, null);
        assertArrayEquals(d.images().toFloatArray(), back.images().toFloatArray());
        assertArrayEquals(d.labels(), back.labels());
        assertArrayEquals(d.imageShape(), back.imageShape());

        Path split = dir.resolve("split");
        NpyFolder.write(split.resolve("train"), d);
        NpyFolder.write(split.resolve("test"), d.subset(new int[]{1}));
        assertEquals(4, DataSets.load(split.toString(), true, null).size());
        assertEquals(1, DataSets.load(split.toString(), false, null).size());

        assertThrows(NoSuchFileException.class, () -> DataSets.load(dir.resolve("absent").toString(), true, null));
        Path bare = Files.createDirectories(dir.resolve("bare"));
        assertTrue(assertThrows(IOException.class, () -> DataSets.load(bare.toString(), true, null))
                .getMessage().contains("no data set found"));
        Path txt = Files.writeString(dir.resolve("notes.txt"), "hi");
        assertTrue(assertThrows(IOException.class, () -> DataSets.load(txt.toString(), true, null))
                .getMessage().contains("unsupported data file"));
    }

    @Test
    void npyFoldersScaleByteImagesAndRefuseOthers() throws IOException {
        Path p = dir.resolve("bytes");
        Files.createDirectories(p);
        Npy.write(p.resolve("images.npy"), Tensor.fromInts(new int[]{0, 255, 51, 102}, 2, 2));
        Npy.write(p.resolve("labels.npy"), Tensor.fromInts(new int[]{1, 0}, 2));
        Dataset d = NpyFolder.read(p);
        assertArrayEquals(new int[]{1, 1, 2}, d.imageShape());
        assertArrayEquals(new float[]{0, 1, 0.2f, 0.4f}, d.images().toFloatArray());
        assertEquals(2, d.classes());

        Npy.write(p.resolve("images.npy"), Tensor.fromInts(new int[]{0, 300, 51, 102}, 2, 2));
        assertTrue(assertThrows(IOException.class, () -> NpyFolder.read(p)).getMessage().contains("300"));
        Npy.write(p.resolve("images.npy"), Tensor.fromFloats(new float[4], 2, 2));
        Npy.write(p.resolve("labels.npy"), Tensor.fromInts(new int[]{1, 0, 1}, 3));
        assertTrue(assertThrows(IOException.class, () -> NpyFolder.read(p)).getMessage().contains("expected 2 integer labels"));
    }
}
