package io.hyperrec.gpu.bench;

import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.RecboleReader;
import io.hyperrec.core.kernel.Device;
import io.hyperrec.core.kernel.DeviceException;
import io.hyperrec.core.kernel.Devices;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.kernel.TimingKernels;
import io.hyperrec.core.train.CheckpointStore;
import io.hyperrec.core.train.EpochResult;
import io.hyperrec.core.train.HyperLlmTrainer;
import io.hyperrec.core.train.SamplerMode;
import io.hyperrec.core.train.TrainConfig;
import io.hyperrec.core.train.TrainListener;
import io.hyperrec.core.train.TrainResult;
import io.hyperrec.core.train.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code hyperrec train} for a GPU machine that cannot carry the whole application (the device
 * tool's machines take 64 MiB; the application jar is over 400 MB): the same trainer, configuration
 * and defaults on core and this module alone, without checkpoints or a saved model. It prints a
 * line per epoch (loss, seconds, validation) and the test metrics at the best epoch, and with
 * {@code --profile} the time per kernel operation (synchronised, so device time).
 *
 * <pre>
 * java -cp SLIM io.hyperrec.gpu.bench.TrainBench --dataset DIR --variant hyperllm \
 *     --phase1 DIR/NAME --margin 1.6 --tag-margin 0.9 --device cuda [--epochs N] [--profile]
 * </pre>
 *
 * deploy/gpu/run-on-gpu.sh packs and runs it.
 */
public final class TrainBench {
    private TrainBench() {}

    /**
     * Runs the benchmark.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        Path dataset = Path.of(require(a, "--dataset"));
        Variant variant =
                Variant.valueOf(a.getOrDefault("--variant", "hyperllm").toUpperCase(Locale.ROOT));
        Device device = Device.parse(a.getOrDefault("--device", "cuda"));
        float margin =
                Float.parseFloat(a.getOrDefault("--margin", variant.usesPhase1() ? "1.6" : "2.3"));
        TrainConfig cfg =
                TrainConfig.builder()
                        .variant(variant)
                        .sampler(
                                SamplerMode.valueOf(
                                        a.getOrDefault("--sampler", "faithful")
                                                .toUpperCase(Locale.ROOT)))
                        .epochs(Integer.parseInt(a.getOrDefault("--epochs", "500")))
                        .patience(Integer.parseInt(a.getOrDefault("--patience", "50")))
                        .seed(Long.parseLong(a.getOrDefault("--seed", "1234")))
                        .margin(margin)
                        .tagMargin(Float.parseFloat(a.getOrDefault("--tag-margin", "0.9")))
                        .build();
        boolean profile = a.containsKey("--profile");
        Dataset ds = RecboleReader.read(dataset);
        float[] p1u = null;
        float[] p1i = null;
        if (variant.usesPhase1()) {
            String prefix = require(a, "--phase1");
            p1u =
                    RecboleReader.readF32(
                            Path.of(prefix + ".phase1-user.f32"), ds.users().size(), cfg.dim());
            p1i =
                    RecboleReader.readF32(
                            Path.of(prefix + ".phase1-item.f32"), ds.items().size(), cfg.dim());
        }
        System.out.println("TrainBench: " + ds + "\n  " + cfg + "\n  device " + device);
        Kernels opened;
        try {
            opened = Devices.open(device, false);
        } catch (DeviceException e) {
            System.err.println("TrainBench: " + e.getMessage());
            System.exit(2);
            return;
        }
        try (Kernels kernels = profile ? new TimingKernels(opened) : opened) {
            System.out.println("  kernels " + kernels.name());
            HyperLlmTrainer trainer = new HyperLlmTrainer(ds, cfg, kernels, p1u, p1i);
            TrainResult r =
                    trainer.train(
                            CheckpointStore.NONE,
                            new TrainListener() {
                                @Override
                                public void epochDone(EpochResult e, int best, int stale) {
                                    System.out.printf(
                                            "epoch %4d  loss %10.2f  %6.3fs+%5.3fs eval  val %s%s  best %d%n",
                                            e.epoch(),
                                            e.loss(),
                                            e.seconds(),
                                            e.evalSeconds(),
                                            e.validation(),
                                            e.improved() ? " *" : "",
                                            best);
                                }
                            });
            System.out.printf(
                    "best epoch %d  test %s%n  %d epochs in %.1f s%s%n",
                    r.bestEpoch(),
                    r.test(),
                    r.epochs().size(),
                    r.totalSeconds(),
                    r.stoppedEarly() ? " (early stop)" : "");
            if (kernels instanceof TimingKernels t) {
                System.out.println("time per operation (synchronised after each call):");
                t.totals().entrySet().stream()
                        .sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]))
                        .forEach(
                                e ->
                                        System.out.printf(
                                                "  %-28s %9.3f s  %8d calls%n",
                                                e.getKey(),
                                                e.getValue()[0] / 1e9,
                                                e.getValue()[1]));
            }
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            if (!k.startsWith("--")) {
                throw new IllegalArgumentException(
                        "unexpected argument '" + k + "': expected --name value");
            }
            if (k.equals("--profile")) {
                out.put(k, "true");
            } else if (i + 1 < args.length) {
                out.put(k, args[++i]);
            } else {
                throw new IllegalArgumentException(k + " needs a value");
            }
        }
        return out;
    }

    private static String require(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null) {
            throw new IllegalArgumentException(key + " is required");
        }
        if (key.equals("--dataset") && !Files.isDirectory(Path.of(v))) {
            throw new IllegalArgumentException("--dataset " + v + ": not a directory");
        }
        return v;
    }
}
