package io.hyperrec.app;

import io.hyperrec.enrichment.llm.LlmOptions;
import io.hyperrec.enrichment.service.EnrichmentClientFactory;
import io.hyperrec.enrichment.service.LlmEnrichmentFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where new items are enriched: the offline tagger in process (the default), an LLM over an
 * OpenAI-compatible endpoint (in process, with the offline tagger as its per-item fallback), or a
 * running enrichment service ({@code hyperrec enrichment-server}).
 */
final class EnrichmentCliOptions {
    @Option(
            names = "--enrichment-url",
            paramLabel = "URL",
            description =
                    "Enrich new items through a running enrichment service (hyperrec"
                            + " enrichment-server), e.g. http://localhost:8081; the offline"
                            + " tagger in process remains the fallback.")
    String enrichmentUrl;

    @Option(
            names = "--llm-url",
            paramLabel = "URL",
            description =
                    "Tag new items with an LLM at this OpenAI-compatible base URL (vLLM, Ollama,"
                            + " llama.cpp server, OpenAI), e.g. http://localhost:11434/v1; the API"
                            + " key, if any, only from the environment variable "
                            + LlmOptions.DEFAULT_API_KEY_ENV
                            + ".")
    String llmUrl;

    @Option(
            names = "--llm-model",
            paramLabel = "NAME",
            description = "The LLM's model name (required with --llm-url).")
    String llmModel;

    @Option(
            names = "--llm-timeout",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description = "Limit on one LLM request (default ${DEFAULT-VALUE} s).")
    int llmTimeoutSeconds;

    @Option(
            names = "--llm-attempts",
            paramLabel = "N",
            defaultValue = "3",
            description =
                    "Attempts per item before the offline fallback (default ${DEFAULT-VALUE}).")
    int llmAttempts;

    /** Whether an LLM endpoint was given. */
    boolean llm() {
        return llmUrl != null;
    }

    /** Checks the combination; the message names the offending option and what was expected. */
    void check() {
        if (enrichmentUrl != null && llmUrl != null) {
            throw new IllegalArgumentException(
                    "--enrichment-url and --llm-url exclude each other: give the LLM to the"
                            + " enrichment service, or enrich in process with --llm-url");
        }
        if (llmUrl != null && (llmModel == null || llmModel.isBlank())) {
            throw new IllegalArgumentException(
                    "--llm-url " + llmUrl + " needs --llm-model NAME (the model to ask)");
        }
        if (llmUrl == null && llmModel != null) {
            throw new IllegalArgumentException(
                    "--llm-model " + llmModel + " needs --llm-url URL (the endpoint to ask)");
        }
        if (llmTimeoutSeconds < 1) {
            throw new IllegalArgumentException(
                    "--llm-timeout must be at least 1 second, got " + llmTimeoutSeconds);
        }
        if (llmAttempts < 1) {
            throw new IllegalArgumentException(
                    "--llm-attempts must be at least 1, got " + llmAttempts);
        }
        if (llmUrl != null) {
            // Validates the URL now, naming it, rather than on the first item.
            options();
        }
    }

    /** The LLM client's options. */
    LlmOptions options() {
        return LlmOptions.builder()
                .baseUrl(llmUrl)
                .model(llmModel)
                .requestTimeout(Duration.ofSeconds(llmTimeoutSeconds))
                .maxAttempts(llmAttempts)
                .build();
    }

    /**
     * The primary enrichment of the onboarding job, or null for the offline tagger alone.
     *
     * @param cacheDir where the LLM's reply cache lives
     * @param taxonomy the offline tagger's category paths
     */
    EnrichmentClientFactory primary(Path cacheDir, List<List<String>> taxonomy) {
        check();
        if (enrichmentUrl != null) {
            return EnrichmentClientFactory.http(enrichmentUrl, Duration.ofSeconds(30));
        }
        if (llmUrl != null) {
            return new LlmEnrichmentFactory(
                    llmUrl,
                    llmModel,
                    Duration.ofSeconds(llmTimeoutSeconds),
                    llmAttempts,
                    cacheDir.toString(),
                    taxonomy,
                    4);
        }
        return null;
    }
}
