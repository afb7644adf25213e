package io.hyperrec.enrichment.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.enrichment.TaggingValidator;
import org.junit.jupiter.api.Test;

class EnricherOptionsTest {
    @Test
    void defaultsToFourTaggingsAtOnceAndTheDefaultRules() {
        EnricherOptions o = EnricherOptions.defaults();

        assertThat(o.parallelism()).isEqualTo(4);
        assertThat(o.validator()).isSameAs(TaggingValidator.defaults());
    }

    @Test
    void rejectsAParallelismOutsideItsRangeNamingTheValue() {
        assertThatThrownBy(() -> EnricherOptions.builder().parallelism(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parallelism must be in [1, 256], got 0");
        assertThatThrownBy(() -> EnricherOptions.builder().parallelism(257))
                .hasMessage("parallelism must be in [1, 256], got 257");
    }

    @Test
    void rejectsANullValidator() {
        assertThatThrownBy(() -> EnricherOptions.builder().validator(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("validator");
    }
}
