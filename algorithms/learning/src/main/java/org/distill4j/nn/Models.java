package org.distill4j.nn;

import static org.distill4j.nn.Activations.flatten;
import static org.distill4j.nn.Activations.relu;

import java.util.List;

/** The models of the papers this project reproduces, by name, with their exact shapes. */
public final class Models {
    public static final List<String> NAMES = List.of("mlp", "lenet", "convnet", "alexcifarnet", "resnet18");

    private Models() {
    }

    /** Refuses a name that is no model, before any data is loaded to build one. */
    public static void checkName(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", NAMES));
        }
    }

    /** Refuses images of a shape {@code [C, H, W]} that the model does not take. */
    public static void checkInput(Model model, int[] imageShape) {
        if (!java.util.Arrays.equals(model.inputShape(), imageShape)) {
            throw new IllegalArgumentException("model " + model.name() + " expects images "
                    + org.distill4j.tensor.Shape.str(model.inputShape()) + ", data have " + org.distill4j.tensor.Shape.str(imageShape));
        }
    }

    /** A model by name for inputs {@code [C, H, W]} and {@code classes} outputs. */
    public static Model byName(String name, int[] input, int classes) {
        checkName(name);
        return switch (name) {
            case "mlp" -> mlp(input, 256, classes);
            case "lenet" -> lenet(input, classes);
            case "convnet" -> convnet(input, classes, 128, 3);
            case "alexcifarnet" -> alexCifarNet(input, classes);
            case "resnet18" -> resnet18(input, classes);
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", NAMES));
        };
    }

    /** Flatten, {@code hidden} ReLU units, classifier: 784-256-10 on Fashion-MNIST. */
    public static Model mlp(int[] input, int hidden, int classes) {
        return new Sequential("mlp", input, Init.PYTORCH_DEFAULT,
                "flatten", flatten(), "fc1", new Linear(hidden), "relu1", relu(), "fc2", new Linear(classes));
    }

    /**
     * The LeNet of Wang et al.'s Dataset Distillation: conv 6@5x5 pad 2, ReLU, maxpool 2, conv
     * 16@5x5, ReLU, maxpool 2, fc 120, fc 84, fc classes (61,706 parameters on 28x28x1, 10 classes).
     */
    public static Model lenet(int[] input, int classes) {
        int pad = input[1] == 28 ? 2 : 0;
        return new Sequential("lenet", input, Init.PYTORCH_DEFAULT,
                "conv1", new Conv2d(6, 5, pad), "relu1", relu(), "pool1", Pool2d.max(2, 2, 0),
                "conv2", new Conv2d(16, 5, 0), "relu2", relu(), "pool2", Pool2d.max(2, 2, 0),
                "flatten", flatten(),
                "fc1", new Linear(120), "relu3", relu(),
                "fc2", new Linear(84), "relu4", relu(),
                "fc3", new Linear(classes));
    }

    /**
     * ConvNet-D (Gidaris and Komodakis; used by DC, DM, MTT): D blocks of [conv width@3x3, instance
     * norm, ReLU, avgpool 2] and a linear classifier. One-channel 28x28 inputs are padded to 32x32 by
     * the first conv (padding 3), as in the DC reference code.
     */
    public static Model convnet(int[] input, int classes, int width, int depth) {
        Object[] layers = new Object[depth * 8 + 4];
        int i = 0;
        for (int d = 0; d < depth; d++) {
            int pad = d == 0 && input[0] == 1 && input[1] == 28 ? 3 : 1;
            layers[i++] = "conv" + (d + 1);
            layers[i++] = new Conv2d(width, 3, pad);
            layers[i++] = "norm" + (d + 1);
            layers[i++] = Norm.instance();
            layers[i++] = "relu" + (d + 1);
            layers[i++] = relu();
            layers[i++] = "pool" + (d + 1);
            layers[i++] = Pool2d.avg(2, 2, 0);
        }
        layers[i++] = "flatten";
        layers[i++] = flatten();
        layers[i++] = "fc";
        layers[i] = new Linear(classes);
        return new Sequential("convnet", input, Init.PYTORCH_DEFAULT, layers);
    }

    /** The CIFAR network of the Dataset Distillation paper's code (AlexCifarNet, with local response norm). */
    public static Model alexCifarNet(int[] input, int classes) {
        return new Sequential("alexcifarnet", input, Init.PYTORCH_DEFAULT,
                "conv1", new Conv2d(64, 5, 2), "relu1", relu(), "pool1", Pool2d.max(3, 2, 1),
                "lrn1", Norm.localResponse(4, 0.001 / 9.0, 0.75, 1),
                "conv2", new Conv2d(64, 5, 2), "relu2", relu(),
                "lrn2", Norm.localResponse(4, 0.001 / 9.0, 0.75, 1), "pool2", Pool2d.max(3, 2, 1),
                "flatten", flatten(),
                "fc1", new Linear(384), "relu3", relu(),
                "fc2", new Linear(192), "relu4", relu(),
                "fc3", new Linear(classes));
    }

    /** ResNet-18, CIFAR variant (3x3 stem, no stem pooling), batch norm, global average pooling. */
    public static Model resnet18(int[] input, int classes) {
        return new Sequential("resnet18", input, Init.PYTORCH_DEFAULT,
                "conv1", new Conv2d(64, 3, 1, 1, false), "bn1", Norm.batch(), "relu1", relu(),
                "layer1.0", new BasicBlock(64, 1), "layer1.1", new BasicBlock(64, 1),
                "layer2.0", new BasicBlock(128, 2), "layer2.1", new BasicBlock(128, 1),
                "layer3.0", new BasicBlock(256, 2), "layer3.1", new BasicBlock(256, 1),
                "layer4.0", new BasicBlock(512, 2), "layer4.1", new BasicBlock(512, 1),
                "pool", Activations.globalAvgPool(),
                "fc", new Linear(classes));
    }
}
