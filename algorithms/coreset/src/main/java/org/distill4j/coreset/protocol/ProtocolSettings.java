package org.distill4j.coreset.protocol;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.distill4j.coreset.Budget;
import org.distill4j.coreset.CoresetMethods;
import org.distill4j.coreset.SelectionOptions;
import org.distill4j.io.OutputKinds;

/**
 * What a {@link CoresetProtocol} runs. The first eight fields and the protocol are pinned in the
 * results folder's {@code settings.json}: every row of one folder was made with them (a folder
 * from before protocols had names holds {@link Protocol#SIMPLE}'s rows). Methods, fractions, seeds
 * and jobs only say which rows to make, and how many at once, so a rerun may add to them.
 *
 * @param dataset         a data set name ({@code mnist}, {@code fashion-mnist}, {@code cifar10}) or a path
 * @param model           the selection and evaluation model ({@code mlp}, {@code lenet}, ...)
 * @param selectionEpochs epochs of training of each seed's selection model (0: untrained)
 * @param epochs          epochs of training on each selection
 * @param batchSize       examples per step, both models
 * @param lr              SGD learning rate, both models (the protocol's schedule starts from it)
 * @param momentum        SGD momentum, both models
 * @param balance         select inside each class in proportion to its size
 * @param methods         method names ({@link CoresetMethods#NAMES}), each once; {@code ["all"]} means all of them
 * @param fractions       fractions of the training set to select ({@code full} takes 1 whatever they are)
 * @param seeds           runs per (method, fraction), with seeds {@code seed}, {@code seed + 1}, ...
 * @param seed            the first seed
 * @param jobs            runs at once, sharing one selection model per seed
 * @param protocol        the recipe and seeding of both models ({@link Protocol}); its optimiser settings other
 *                        than the learning rate, momentum and batch size are fixed by its name
 * @param options         the methods' hyperparameters; pinned in {@code settings.json} as {@code method_options}
 *                        when they differ from {@link SelectionOptions#defaults()} (a folder without that
 *                        key was made with the defaults of its time)
 */
public record ProtocolSettings(String dataset, String model, int selectionEpochs, int epochs, int batchSize, double lr,
                               double momentum, boolean balance, List<String> methods, List<Double> fractions, int seeds,
                               long seed, int jobs, Protocol protocol, SelectionOptions options) {
    /** With the methods' default hyperparameters. */
    public ProtocolSettings(String dataset, String model, int selectionEpochs, int epochs, int batchSize, double lr,
                            double momentum, boolean balance, List<String> methods, List<Double> fractions, int seeds,
                            long seed, int jobs, Protocol protocol) {
        this(dataset, model, selectionEpochs, epochs, batchSize, lr, momentum, balance, methods, fractions, seeds, seed, jobs,
                protocol, SelectionOptions.defaults());
    }

    public ProtocolSettings {
        java.util.Objects.requireNonNull(protocol, "protocol");
        if (options == null) {
            throw new IllegalArgumentException("options must be given (SelectionOptions.defaults() for the papers' values)");
        }
        methods = methodNames(methods);
        fractions = List.copyOf(fractions);
        for (double f : fractions) {
            Budget.fromFraction(f, 1);
        }
        if (fractions.isEmpty()) {
            throw new IllegalArgumentException("fractions: need at least one");
        }
        if (seeds < 1 || epochs < 1 || selectionEpochs < 0 || jobs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("need seeds >= 1, epochs >= 1, selectionEpochs >= 0, jobs >= 1 and batchSize >= 1, got "
                    + seeds + ", " + epochs + ", " + selectionEpochs + ", " + jobs + ", " + batchSize);
        }
        if (dataset == null || model == null) {
            throw new IllegalArgumentException("dataset and model must be named");
        }
    }

    /** The settings of the {@link Protocol#SIMPLE simple} protocol, as before protocols had names. */
    public ProtocolSettings(String dataset, String model, int selectionEpochs, int epochs, int batchSize, double lr,
                            double momentum, boolean balance, List<String> methods, List<Double> fractions, int seeds,
                            long seed, int jobs) {
        this(dataset, model, selectionEpochs, epochs, batchSize, lr, momentum, balance, methods, fractions, seeds, seed, jobs,
                Protocol.SIMPLE);
    }

    /**
     * The command line's defaults: Fashion-MNIST, LeNet, every method at 0.1%, 1% and 10%, 3 seeds
     * from 0, 5 selection epochs, 200 epochs on each selection, batches of 128, SGD with learning
     * rate 0.01 and momentum 0.9, balanced, one job.
     */
    public static ProtocolSettings defaults() {
        return new ProtocolSettings("fashion-mnist", "lenet", 5, 200, 128, 0.01, 0.9, true, List.of("all"),
                List.of(0.001, 0.01, 0.1), 3, 0, 1);
    }

    public ProtocolSettings withData(String dataset, String model) {
        return new ProtocolSettings(dataset, model, selectionEpochs, epochs, batchSize, lr, momentum, balance, methods,
                fractions, seeds, seed, jobs, protocol, options);
    }

    public ProtocolSettings withRuns(List<String> methods, List<Double> fractions, int seeds, long seed) {
        return new ProtocolSettings(dataset, model, selectionEpochs, epochs, batchSize, lr, momentum, balance, methods,
                fractions, seeds, seed, jobs, protocol, options);
    }

    public ProtocolSettings withEpochs(int selectionEpochs, int epochs) {
        return new ProtocolSettings(dataset, model, selectionEpochs, epochs, batchSize, lr, momentum, balance, methods,
                fractions, seeds, seed, jobs, protocol, options);
    }

    public ProtocolSettings withSgd(int batchSize, double lr, double momentum) {
        return new ProtocolSettings(dataset, model, selectionEpochs, epochs, batchSize, lr, momentum, balance, methods,
                fractions, seeds, seed, jobs, protocol, options);
    }

    public ProtocolSettings withBalance(boolean balance) {
        return new ProtocolSettings(dataset, model, selectionEpochs, epochs, batchSize, lr, momentum, balance, methods,
                fractions, seeds, seed, jobs, protocol, options);
    }

    public ProtocolSettings withOptions(SelectionOptions options) {
        return new ProtocolSettings(dataset, model, selectionEpochs, epochs, batchSize, lr, momentum, balance, methods,
                fractions, seeds, seed, jobs, protocol, options);
    }

    public ProtocolSettings withJobs(int jobs) {
        return new ProtocolSettings(dataset, model, selectionEpochs, epochs, batchSize, lr, momentum, balance, methods,
                fractions, seeds, seed, jobs, protocol, options);
    }

    /**
     * These settings under {@code p}, with its learning rate, momentum and batch size ({@link #withSgd}
     * sets others afterwards).
     */
    public ProtocolSettings withProtocol(Protocol p) {
        return new ProtocolSettings(dataset, model, selectionEpochs, epochs, p.batchSize(), p.learningRate(), p.momentum(),
                balance, methods, fractions, seeds, seed, jobs, p, options);
    }

    /** The pinned settings, as {@code settings.json} holds them (marked with the folder's kind). */
    public Map<String, Object> pinned() {
        Map<String, Object> now = new LinkedHashMap<>();
        now.put("kind", OutputKinds.CORESET_BENCH.id());
        now.put("dataset", dataset);
        now.put("model", model);
        now.put("selection_epochs", selectionEpochs);
        now.put("epochs", epochs);
        now.put("batch_size", batchSize);
        now.put("lr", lr);
        now.put("momentum", momentum);
        now.put("balance", balance);
        now.put("protocol", protocol.cliName());
        if (!options.equals(SelectionOptions.defaults())) {
            now.put("method_options", options.toMap());
        }
        return now;
    }

    /**
     * The runs of one seed, in the order they are made: for each fraction, each method ({@code full}
     * once, at fraction 1).
     */
    public List<ProtocolRun> runs(long seed) {
        LinkedHashSet<ProtocolRun> runs = new LinkedHashSet<>();
        for (double f : fractions) {
            for (String name : methods) {
                runs.add(new ProtocolRun(name, name.equals("full") ? 1.0 : f, seed));
            }
        }
        return List.copyOf(runs);
    }

    /** The methods to run: all of them ({@code ["all"]}), or the named ones (each must exist), each once. */
    public static List<String> methodNames(List<String> methods) {
        if (methods.size() == 1 && methods.get(0).equals("all")) {
            return CoresetMethods.NAMES;
        }
        for (String n : methods) {
            CoresetMethods.byName(n);
        }
        return List.copyOf(new LinkedHashSet<>(methods));
    }

    /** Whether any method to run reads the selection model's per-epoch dynamics, which are then recorded as it trains. */
    public boolean needsDynamics() {
        return methods.stream().anyMatch(m -> CoresetMethods.needsDynamics(m, options));
    }
}
