package io.hyperrec.enrichment.llm;

import io.hyperrec.enrichment.ItemText;
import java.time.Duration;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Shared test values: a short-timeout client setup, items and well-formed replies. */
final class Fixtures {
    static final String MODEL = "qwen2.5:7b-instruct";
    static final String API_KEY = "sk-test-SECRET-4242";
    static final String KEY_ENV = "TEST_LLM_KEY";

    /** Jitter that always draws the middle: each backoff is half its cap. */
    static final RandomGenerator HALF =
            new RandomGenerator() {
                @Override
                public long nextLong() {
                    return 0;
                }

                @Override
                public double nextDouble() {
                    return 0.5;
                }
            };

    static final ItemText HEADPHONES =
            new ItemText(
                    "sku-42",
                    "Sony WH-1000XM5",
                    "Wireless over-ear headphones with industry-leading noise cancelling.",
                    Map.of("brand", "Sony", "category_path", "Electronics > Audio"));

    static final String GOOD_REPLY =
            "{\"summary\": \"Wireless over-ear headphones with active noise cancelling.\","
                    + " \"levels\": [[\"Electronics\"], [\"Audio\"],"
                    + " [\"Headphones\", \"Noise Cancelling\"]],"
                    + " \"edges\": [{\"parent\": \"Electronics\", \"child\": \"Audio\"},"
                    + " {\"parent\": \"Audio\", \"child\": \"Headphones\"},"
                    + " {\"parent\": \"Audio\", \"child\": \"Noise Cancelling\"}]}";

    private Fixtures() {}

    /** The request timeout of tests that make the server hang: short, so they stay fast. */
    static final Duration SHORT_TIMEOUT = Duration.ofMillis(400);

    /**
     * Options for a fake server: 2 s timeouts (generous for a loaded build machine; tests of
     * timeouts set {@link #SHORT_TIMEOUT}), 3 attempts, 100 ms base backoff.
     */
    static LlmOptions.Builder options(FakeOpenAiServer server) {
        return LlmOptions.builder()
                .baseUrl(server.baseUrl())
                .model(MODEL)
                .apiKeyEnv(KEY_ENV)
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(2))
                .maxAttempts(3)
                .baseBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofSeconds(1));
    }

    /** A client with the test key in its environment, recording waits, half jitter. */
    static ChatClient client(LlmOptions options, RecordingSleeper sleeper) {
        return ChatClient.builder(options)
                .environment(Map.of(KEY_ENV, API_KEY)::get)
                .sleeper(sleeper)
                .random(HALF)
                .build();
    }
}
