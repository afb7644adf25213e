package io.hyperrec.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hyperrec.core.kernel.Device;
import io.hyperrec.core.kernel.DeviceException;
import io.hyperrec.core.kernel.Devices;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.kernel.KernelsProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HyperrecCliTest {
    private static String[] run(String... args) {
        CommandLine cl = HyperrecCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub :
                new String[] {
                    "demo",
                    "train",
                    "phase1",
                    "evaluate",
                    "retrain",
                    "evaluate-cold-start",
                    "enrich-dataset"
                }) {
            String[] r = run(sub, "--help");
            assertThat(r[0]).as(sub).isEqualTo("0");
            assertThat(r[1]).as(sub).contains("Usage: hyperrec " + sub);
        }
    }

    @Test
    void aBadEnumValueNamesTheValueAndTheChoices() {
        String[] r = run("train", "--variant", "bogus", "--out", "/tmp/never");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--variant").contains("bogus").contains("HYPERLLM");
    }

    @Test
    void aMissingDatasetDirectoryIsNamed() {
        String[] r = run("train", "--dataset", "/no/such/dir", "--out", "/tmp/never");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("/no/such/dir").contains("not a directory");
    }

    @Test
    void aSemanticVariantWithoutPhase1VectorsSaysWhatIsMissing() {
        String[] r =
                run(
                        "train",
                        "--variant",
                        "semantic",
                        "--synthetic-users",
                        "50",
                        "--synthetic-items",
                        "40",
                        "--out",
                        "/tmp/never");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--phase1 PREFIX");
    }

    @Test
    void aBadDeviceNamesTheValueAndTheChoices() {
        String[] r = run("train", "--device", "gpu", "--out", "/tmp/never");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2])
                .contains(
                        "Invalid value for option '--device': invalid device 'gpu': expected cpu,"
                                + " cuda or cuda:N (N = 0, 1, ...)");
        r =
                run(
                        "phase1",
                        "--device",
                        "cuda:one",
                        "--semantic",
                        "x",
                        "--semantic-dim",
                        "4",
                        "--out",
                        "y");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("invalid device 'cuda:one'");
    }

    /** Whether this build has a CUDA provider (the GPU build, -Pcuda). */
    private static boolean gpuBuild() {
        return ServiceLoader.load(KernelsProvider.class).findFirst().isPresent();
    }

    @Test
    void cudaInTheDefaultBuildFailsFastSayingItHasNoCudaSupport() {
        assumeFalse(gpuBuild(), "this is the GPU build (-Pcuda)");
        // The dataset directory does not exist: the device is checked before any data is read.
        String[] r =
                run(
                        "train",
                        "--device",
                        "cuda",
                        "--dataset",
                        "/no/such/dir",
                        "--out",
                        "/tmp/never");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2])
                .startsWith(
                        "hyperrec train: cuda:0 was asked for, but this build of hyperrec has no"
                                + " CUDA support")
                .contains("mvn -Pcuda -pl app -am package -DskipTests")
                .contains("or use the device cpu");
        r =
                run(
                        "phase1",
                        "--device",
                        "cuda:1",
                        "--semantic",
                        "/no/such/prefix",
                        "--semantic-dim",
                        "384",
                        "--out",
                        "/tmp/never");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2])
                .startsWith(
                        "hyperrec phase1: cuda:1 was asked for, but this build of hyperrec has no"
                                + " CUDA support");
    }

    @Test
    void cudaInTheGpuBuildWithoutAUsableGpuFailsFastNamingWhatIsMissing() {
        assumeTrue(gpuBuild(), "this is the default build, without the GPU kernels");
        boolean opens;
        try (Kernels k = Devices.open(Device.cuda(0), false)) {
            opens = true;
        } catch (DeviceException e) {
            opens = false;
        }
        assumeFalse(opens, "cuda:0 opens on this machine");
        String[] r =
                run(
                        "train",
                        "--device",
                        "cuda",
                        "--dataset",
                        "/no/such/dir",
                        "--out",
                        "/tmp/never");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).startsWith("hyperrec train: cuda:0 cannot be used: ");
    }
}
