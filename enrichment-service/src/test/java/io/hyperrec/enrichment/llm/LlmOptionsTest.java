package io.hyperrec.enrichment.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LlmOptionsTest {
    @Test
    void hasDocumentedDefaults() {
        LlmOptions o = LlmOptions.builder().model("llama3.1:8b").build();

        assertThat(o.baseUrl()).hasToString("http://localhost:11434/v1");
        assertThat(o.chatCompletionsUrl())
                .hasToString("http://localhost:11434/v1/chat/completions");
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.maxAttempts()).isEqualTo(3);
        assertThat(o.baseBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.maxRetryAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.maxConcurrentRequests()).isEqualTo(4);
        assertThat(o.apiKeyEnv()).isEqualTo("HYPERREC_LLM_API_KEY");
        assertThat(o.jsonMode()).isTrue();
        assertThat(o.temperature()).isZero();
    }

    @Test
    void dropsATrailingSlashFromTheBaseUrl() {
        LlmOptions o =
                LlmOptions.builder().baseUrl("https://api.openai.com/v1/").model("gpt-4o").build();

        assertThat(o.chatCompletionsUrl())
                .hasToString("https://api.openai.com/v1/chat/completions");
    }

    @Test
    void rejectsBadValuesNamingThem() {
        LlmOptions.Builder b = LlmOptions.builder();

        assertThatThrownBy(() -> b.baseUrl("ftp://host/v1"))
                .hasMessageContaining("'ftp://host/v1'");
        assertThatThrownBy(() -> b.baseUrl("http://host/v1?x=1")).hasMessageContaining("query");
        assertThatThrownBy(() -> b.baseUrl("not a url")).hasMessageContaining("'not a url'");
        assertThatThrownBy(() -> b.model(" ")).hasMessageContaining("model");
        assertThatThrownBy(() -> b.requestTimeout(Duration.ZERO))
                .hasMessage("requestTimeout must be positive and at most 30 min, got PT0S");
        assertThatThrownBy(() -> b.maxAttempts(0))
                .hasMessage("maxAttempts must be in [1, 20], got 0");
        assertThatThrownBy(() -> b.maxConcurrentRequests(0)).hasMessageContaining("got 0");
        assertThatThrownBy(() -> b.apiKeyEnv("MY-KEY")).hasMessageContaining("'MY-KEY'");
        assertThatThrownBy(() -> b.temperature(Double.NaN)).hasMessageContaining("got NaN");
        assertThatThrownBy(() -> b.maxRetryAfter(Duration.ofSeconds(-1)))
                .hasMessageContaining("got PT-1S");
    }

    @Test
    void rejectsCredentialsInTheBaseUrlWithoutEchoingThem() {
        assertThatThrownBy(() -> LlmOptions.builder().baseUrl("https://user:hunter2@host/v1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user info")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void requiresAModelAndABackoffCapAtLeastTheBase() {
        assertThatThrownBy(() -> LlmOptions.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("model must be set");
        assertThatThrownBy(
                        () ->
                                LlmOptions.builder()
                                        .model("m")
                                        .baseBackoff(Duration.ofSeconds(2))
                                        .maxBackoff(Duration.ofSeconds(1))
                                        .build())
                .hasMessage("maxBackoff must be at least baseBackoff (PT2S), got PT1S");
    }

    @Test
    void toBuilderKeepsEverySetting() {
        LlmOptions o =
                LlmOptions.builder()
                        .baseUrl("http://vllm:8000/v1")
                        .model("qwen")
                        .maxAttempts(5)
                        .jsonMode(false)
                        .temperature(0.7)
                        .build();

        assertThat(o.toBuilder().build()).hasToString(o.toString());
        assertThat(o.toString()).contains("apiKeyEnv=HYPERREC_LLM_API_KEY").contains("model=qwen");
    }
}
