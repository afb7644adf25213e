package io.hyperrec.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.eval.Metrics;
import io.hyperrec.core.model.TrainedModel;
import io.hyperrec.core.train.EpochResult;
import io.hyperrec.core.train.TrainConfig;
import io.hyperrec.core.train.TrainResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON reports and model metadata of the CLI commands. */
final class Reports {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Reports() {}

    static ObjectNode metrics(Metrics m) {
        ObjectNode n = JSON.createObjectNode();
        if (m == null) {
            return n;
        }
        n.put("recall@10", m.recall10());
        n.put("recall@20", m.recall20());
        n.put("ndcg@10", m.ndcg10());
        n.put("ndcg@20", m.ndcg20());
        n.put("users", m.users());
        return n;
    }

    static ObjectNode machine(String kernels) {
        ObjectNode n = JSON.createObjectNode();
        n.put("cores", Runtime.getRuntime().availableProcessors());
        n.put(
                "jvm",
                System.getProperty("java.vm.name")
                        + " "
                        + System.getProperty("java.runtime.version"));
        n.put(
                "os",
                System.getProperty("os.name")
                        + " "
                        + System.getProperty("os.version")
                        + " "
                        + System.getProperty("os.arch"));
        n.put("cpu", cpuModel());
        n.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        n.put("kernels", kernels);
        return n;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: the model name is optional.
        }
        return "unknown";
    }

    static void writeTrainReport(
            Path file, Dataset ds, TrainConfig cfg, TrainResult r, String kernels) {
        writeTrainReport(file, ds, cfg, r, kernels, null);
    }

    static void printProfile(java.io.PrintStream out, Map<String, long[]> times, TrainResult r) {
        double total = 0;
        for (EpochResult e : r.epochs()) {
            total += e.seconds() + e.evalSeconds();
        }
        out.printf(
                "where the time went (%d epochs, %.1f s in epochs):%n", r.epochs().size(), total);
        double kernelSum = 0;
        for (Map.Entry<String, long[]> e : times.entrySet()) {
            double s = e.getValue()[0] / 1e9;
            kernelSum += s;
            out.printf(
                    "  %-22s %8.2f s  %5.1f%%  %8d calls  %8.3f ms/call%n",
                    e.getKey(), s, 100 * s / total, e.getValue()[1], 1e3 * s / e.getValue()[1]);
        }
        out.printf(
                "  %-22s %8.2f s  %5.1f%%%n",
                "outside kernels", total - kernelSum, 100 * (total - kernelSum) / total);
    }

    static void writeTrainReport(
            Path file,
            Dataset ds,
            TrainConfig cfg,
            TrainResult r,
            String kernels,
            Map<String, long[]> times) {
        ObjectNode root = JSON.createObjectNode();
        root.put("dataset", ds.name());
        root.put("variant", cfg.variant().name().toLowerCase());
        root.put("sampler", cfg.sampler().name().toLowerCase());
        root.put("backbone", cfg.backbone().name());
        ObjectNode c = root.putObject("config");
        c.put("margin", cfg.margin());
        c.put("tag_margin", cfg.tagMargin());
        c.put("lr", cfg.lr());
        c.put("momentum", cfg.momentum());
        c.put("weight_decay", cfg.weightDecay());
        c.put("batch_size", cfg.batchSize());
        c.put("tau", cfg.tau());
        c.put("contrastive_weight", cfg.contrastiveWeight());
        c.put("dim", cfg.dim());
        c.put("max_epochs", cfg.epochs());
        c.put("patience", cfg.patience());
        c.put("seed", cfg.seed());
        ArrayNode epochs = root.putArray("epochs");
        for (EpochResult e : r.epochs()) {
            ObjectNode en = epochs.addObject();
            en.put("epoch", e.epoch());
            en.put("loss", e.loss());
            en.put("seconds", e.seconds());
            en.put("eval_seconds", e.evalSeconds());
            en.set("val", metrics(e.validation()));
            if (e.test() != null) {
                en.set("test", metrics(e.test()));
            }
        }
        root.put("best_epoch", r.bestEpoch());
        root.set("best_validation", metrics(r.bestValidation()));
        root.set("test", metrics(r.test()));
        root.put("stopped_early", r.stoppedEarly());
        root.put("total_seconds", r.totalSeconds());
        root.set("machine", machine(kernels));
        if (times != null) {
            ObjectNode p = root.putObject("profile_seconds");
            times.forEach((op, v) -> p.put(op, v[0] / 1e9));
        }
        write(file, root);
    }

    static void write(Path file, Object root) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            JSON.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static TrainedModel model(Dataset ds, TrainConfig cfg, TrainResult r, String kernels) {
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("dataset", ds.name());
        md.put("variant", cfg.variant().name().toLowerCase());
        md.put("backbone", cfg.backbone().name());
        md.put("best_epoch", r.bestEpoch());
        md.put("validation", JSON.convertValue(metrics(r.bestValidation()), Map.class));
        md.put("test", JSON.convertValue(metrics(r.test()), Map.class));
        md.put("kernels", kernels);
        return new TrainedModel(
                ds.users(), ds.items(), r.userEmbeddings(), r.itemEmbeddings(), r.dim(), md);
    }
}
