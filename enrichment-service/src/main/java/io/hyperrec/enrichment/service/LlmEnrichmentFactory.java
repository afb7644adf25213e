package io.hyperrec.enrichment.service;

import io.hyperrec.enrichment.TaggingValidator;
import io.hyperrec.enrichment.cache.ReplyCache;
import io.hyperrec.enrichment.embed.MiniLmEmbedder;
import io.hyperrec.enrichment.llm.ChatClient;
import io.hyperrec.enrichment.llm.FallbackTagger;
import io.hyperrec.enrichment.llm.LlmOptions;
import io.hyperrec.enrichment.llm.LlmTagger;
import io.hyperrec.enrichment.offline.OfflineTagger;
import io.hyperrec.enrichment.offline.OfflineTaggerOptions;
import io.hyperrec.enrichment.offline.Taxonomy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The LLM enrichment in process, as a job creates it on each subtask: the {@link LlmTagger} over an
 * OpenAI-compatible endpoint with its RocksDB reply cache, falling back per item to the offline
 * tagger ({@link FallbackTagger}), and the MiniLM encoder. The client it creates closes the cache,
 * the chat client's resources and the encoder when closed.
 *
 * <p>Serializable with plain fields: the options are rebuilt on the subtask; the API key is read
 * there from the environment variable the options name, never shipped with the job.
 */
public final class LlmEnrichmentFactory implements EnrichmentClientFactory {
    private static final long serialVersionUID = 1L;

    private final String baseUrl;
    private final String model;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final String cacheDir;
    private final ArrayList<ArrayList<String>> taxonomy;
    private final int parallelism;

    /**
     * @param baseUrl the endpoint, e.g. {@code http://localhost:11434/v1}
     * @param model the model name
     * @param requestTimeout the limit per request
     * @param maxAttempts attempts per item (the client's own retries)
     * @param cacheDir the reply cache's directory (one per subtask: RocksDB locks it)
     * @param taxonomy the offline tagger's category paths
     * @param parallelism items enriched at once per client
     */
    public LlmEnrichmentFactory(
            String baseUrl,
            String model,
            Duration requestTimeout,
            int maxAttempts,
            String cacheDir,
            List<List<String>> taxonomy,
            int parallelism) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.model = Objects.requireNonNull(model, "model");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.maxAttempts = maxAttempts;
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
        this.taxonomy = new ArrayList<>();
        taxonomy.forEach(p -> this.taxonomy.add(new ArrayList<>(p)));
        this.parallelism = parallelism;
        // Fail when the job is built, not on the cluster.
        options();
    }

    private LlmOptions options() {
        return LlmOptions.builder()
                .baseUrl(baseUrl)
                .model(model)
                .requestTimeout(requestTimeout)
                .maxAttempts(maxAttempts)
                .build();
    }

    @Override
    public EnrichmentClient create() {
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            MiniLmEmbedder embedder = MiniLmEmbedder.create();
            owned.add(embedder);
            ReplyCache cache = ReplyCache.open(Path.of(cacheDir));
            owned.add(cache);
            FallbackTagger tagger =
                    tagger(ChatClient.create(options()), cache, offlineTagger(taxonomy, embedder));
            InProcessEnrichmentClient inner =
                    new InProcessEnrichmentClient(Enricher.create(tagger, embedder), parallelism);
            return new OwningClient(inner, owned);
        } catch (RuntimeException e) {
            OwningClient.closeAll(owned);
            throw e;
        }
    }

    /**
     * The LLM tagger with its reply cache, falling back per item to {@code offline}: what this
     * factory's clients and the standalone enrichment service tag with.
     *
     * @param chat the chat client of the endpoint
     * @param cache the reply cache (not owned)
     * @param offline the fallback
     * @return the tagger
     */
    public static FallbackTagger tagger(ChatClient chat, ReplyCache cache, OfflineTagger offline) {
        TaggingValidator validator = TaggingValidator.defaults();
        return new FallbackTagger(new LlmTagger(chat, validator, cache), offline, validator);
    }

    /**
     * The offline tagger over {@code categoryPaths} (empty paths ignored).
     *
     * @param categoryPaths the catalogue's category paths, root first
     * @param embedder the encoder (not owned)
     * @return the tagger
     */
    public static OfflineTagger offlineTagger(
            List<? extends List<String>> categoryPaths,
            io.hyperrec.enrichment.TextEmbedder embedder) {
        return OfflineTagger.create(
                Taxonomy.fromCategoryPaths(
                        categoryPaths.stream().filter(p -> !p.isEmpty()).toList()),
                embedder,
                OfflineTaggerOptions.defaults());
    }
}
