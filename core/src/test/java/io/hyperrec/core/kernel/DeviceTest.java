package io.hyperrec.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class DeviceTest {

    @Test
    void parsesCpuCudaAndCudaWithAnOrdinal() {
        assertThat(Device.parse("cpu")).isEqualTo(Device.CPU);
        assertThat(Device.parse("cuda")).isEqualTo(Device.cuda(0));
        assertThat(Device.parse("cuda:0")).isEqualTo(Device.cuda(0));
        assertThat(Device.parse(" CUDA:3 ")).isEqualTo(Device.cuda(3));
        assertThat(Device.parse("Cpu").isCuda()).isFalse();
        assertThat(Device.parse("cuda:2").isCuda()).isTrue();
        assertThat(Device.parse("cuda:2").ordinal()).isEqualTo(2);
    }

    @Test
    void printsWhatParseReadsBack() {
        for (Device d : new Device[] {Device.CPU, Device.cuda(0), Device.cuda(7)}) {
            assertThat(Device.parse(d.toString())).isEqualTo(d);
        }
        assertThat(Device.CPU).hasToString("cpu");
        assertThat(Device.cuda(1)).hasToString("cuda:1");
    }

    @Test
    void anUnknownDeviceNamesTheValueAndTheChoices() {
        assertThatThrownBy(() -> Device.parse("gpu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid device 'gpu': expected cpu, cuda or cuda:N (N = 0, 1, ...)");
        assertThatThrownBy(() -> Device.parse(""))
                .hasMessageContaining("invalid device ''")
                .hasMessageContaining("expected cpu, cuda or cuda:N");
    }

    @Test
    void aBadOrdinalNamesTheValueAndWhatAnOrdinalIs() {
        for (String bad :
                new String[] {"cuda:x", "cuda:", "cuda:-1", "cuda:1.5", "cuda:12345678901"}) {
            String ordinal = bad.substring("cuda:".length());
            assertThatThrownBy(() -> Device.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "invalid device '"
                                    + bad
                                    + "': the GPU ordinal after 'cuda:' must be a number 0, 1,"
                                    + " ..., got '"
                                    + ordinal
                                    + "'");
        }
    }

    @Test
    void rejectsANegativeOrdinalAndACpuOrdinal() {
        assertThatThrownBy(() -> Device.cuda(-1)).hasMessage("device ordinal must be >= 0, got -1");
        assertThatThrownBy(() -> new Device(Device.Kind.CPU, 1))
                .hasMessage("the CPU device has no ordinal, got 1");
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(Device.cuda(3));
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(Device.cuda(3));
        }
    }
}
