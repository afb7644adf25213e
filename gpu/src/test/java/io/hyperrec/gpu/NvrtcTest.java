package io.hyperrec.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What can be checked of the compilation without loading NVRTC: targets and the source. */
class NvrtcTest {
    /** What NVRTC 13.1 reports (nvrtcGetSupportedArchs, measured with the cuda-redist jar). */
    private static final int[] NVRTC_13_1 = {75, 80, 86, 87, 88, 89, 90, 100, 103, 110, 120, 121};

    @Test
    void compilesMachineCodeForAnArchitectureNvrtcKnows() {
        assertThat(Nvrtc.target(90, NVRTC_13_1)).isEqualTo("sm_90"); // H100, H200
        assertThat(Nvrtc.target(80, NVRTC_13_1)).isEqualTo("sm_80"); // A100
        assertThat(Nvrtc.target(89, NVRTC_13_1)).isEqualTo("sm_89"); // L4, RTX 40
        assertThat(Nvrtc.target(100, NVRTC_13_1)).isEqualTo("sm_100"); // B200
    }

    @Test
    void compilesPtxOfTheNewestOlderArchitectureForADeviceNvrtcDoesNotKnow() {
        assertThat(Nvrtc.target(130, NVRTC_13_1)).isEqualTo("compute_121");
        assertThat(Nvrtc.target(91, NVRTC_13_1)).isEqualTo("compute_90");
    }

    @Test
    void hasNoTargetForADeviceOlderThanEveryArchitecture() {
        assertThat(Nvrtc.target(70, NVRTC_13_1)).isNull(); // V100
    }

    @Test
    void theSourceDefinesExactlyTheKernelsTheJavaSideLaunches() {
        String src = Nvrtc.source();
        Matcher m = Pattern.compile("extern \"C\" __global__ void (\\w+)\\(").matcher(src);
        java.util.List<String> defined = new java.util.ArrayList<>();
        while (m.find()) {
            defined.add(m.group(1));
        }
        java.util.List<String> launched = new java.util.ArrayList<>();
        for (Fn fn : Fn.values()) {
            launched.add(fn.symbol);
        }
        assertThat(defined).containsExactlyInAnyOrderElementsOf(launched);
    }
}
