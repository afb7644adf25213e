package io.hyperrec.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.IdMap;
import io.hyperrec.core.eval.Evaluator;
import io.hyperrec.core.eval.Metrics;
import io.hyperrec.core.kernel.CpuKernels;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.kernel.Mat;
import io.hyperrec.core.model.TrainedModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hyperrec evaluate}: full-ranking metrics of a saved model on a dataset's splits. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description =
                "Evaluates a saved model (full ranking, training items masked) on the validation and test splits.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description =
                    "Model directory (DIR/model.json), e.g. the --out of train plus /model, or the --out itself.")
    Path model;

    @Mixin DatasetOptions dataset;

    @Option(
            names = "--report",
            paramLabel = "FILE",
            description = "Also write the metrics as JSON.")
    Path report;

    @Override
    public Integer call() {
        Path dir = model.resolve("model.json").toFile().isFile() ? model : model.resolve("model");
        TrainedModel m = TrainedModel.load(dir);
        Dataset ds = dataset.load();
        int d = m.dim();
        float[] users = align(m.users(), m.userPoints(), ds.users(), d, "user");
        float[] items = align(m.items(), m.itemPoints(), ds.items(), d, "item");
        try (Kernels k = new CpuKernels()) {
            Mat mu = k.allocate(ds.users().size(), d);
            Mat mi = k.allocate(ds.items().size(), d);
            k.upload(users, mu);
            k.upload(items, mi);
            Evaluator ev = new Evaluator(k);
            Metrics val = ev.evaluate(mu, mi, ds.train(), ds.valid());
            Metrics test = ev.evaluate(mu, mi, ds.train(), ds.test());
            System.out.printf(
                    "model %s on %s%n  validation %s%n  test       %s%n",
                    dir, ds.name(), val, test);
            if (report != null) {
                ObjectNode root = Reports.JSON.createObjectNode();
                root.put("model", dir.toString());
                root.put("dataset", ds.name());
                root.set("validation", Reports.metrics(val));
                root.set("test", Reports.metrics(test));
                Reports.write(report, root);
            }
        }
        return 0;
    }

    /** Reorders model rows into the dataset's id order; every dataset id must be in the model. */
    static float[] align(IdMap modelIds, float[] points, IdMap dataIds, int d, String kind) {
        float[] out = new float[dataIds.size() * d];
        for (int i = 0; i < dataIds.size(); i++) {
            int row = modelIds.indexOf(dataIds.token(i));
            if (row < 0) {
                throw new IllegalArgumentException(
                        "the dataset's "
                                + kind
                                + " '"
                                + dataIds.token(i)
                                + "' is not in the model (model has "
                                + modelIds.size()
                                + " "
                                + kind
                                + "s): was it trained on this dataset?");
            }
            System.arraycopy(points, row * d, out, i * d, d);
        }
        return out;
    }
}
