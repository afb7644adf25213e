package io.hyperrec.enrichment.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EnrichmentServerOptionsTest {
    @Test
    void hasDocumentedDefaults() {
        EnrichmentServerOptions o = EnrichmentServerOptions.defaults();

        assertThat(o.host()).isEqualTo("0.0.0.0");
        assertThat(o.port()).isEqualTo(8081);
        assertThat(o.maxBatchSize()).isEqualTo(64);
        assertThat(o.maxBodyBytes()).isEqualTo(1 << 20);
    }

    @Test
    void rejectsEachBadValueNamingIt() {
        EnrichmentServerOptions.Builder b = EnrichmentServerOptions.builder();

        assertThatThrownBy(() -> b.host(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host must be non-blank, got ' '");
        assertThatThrownBy(() -> b.port(-1)).hasMessage("port must be in [0, 65535], got -1");
        assertThatThrownBy(() -> b.port(65536)).hasMessage("port must be in [0, 65535], got 65536");
        assertThatThrownBy(() -> b.maxBatchSize(0))
                .hasMessage("maxBatchSize must be in [1, 10000], got 0");
        assertThatThrownBy(() -> b.maxBodyBytes(63))
                .hasMessage("maxBodyBytes must be in [64, 67108864], got 63");
    }

    @Test
    void keepsTheValuesSet() {
        EnrichmentServerOptions o =
                EnrichmentServerOptions.builder()
                        .host("127.0.0.1")
                        .port(0)
                        .maxBatchSize(3)
                        .maxBodyBytes(2048)
                        .build();

        assertThat(o.toString())
                .isEqualTo(
                        "EnrichmentServerOptions{host=127.0.0.1, port=0, maxBatchSize=3,"
                                + " maxBodyBytes=2048}");
    }
}
