package io.hyperrec.enrichment.service;

import io.hyperrec.enrichment.embed.MiniLmEmbedder;
import io.hyperrec.enrichment.offline.OfflineTagger;
import java.util.ArrayList;
import java.util.List;

/**
 * The offline enrichment in process, as a job creates it on each subtask: the offline tagger over a
 * taxonomy of category paths and the in-process MiniLM encoder, behind an {@link
 * InProcessEnrichmentClient}. Needs nothing outside the JVM. The client it creates closes the
 * encoder when closed.
 */
public final class OfflineEnrichmentFactory implements EnrichmentClientFactory {
    private static final long serialVersionUID = 1L;

    private final ArrayList<ArrayList<String>> paths;
    private final int parallelism;

    /**
     * @param categoryPaths the catalogue's category paths (the taxonomy), at least one
     * @param parallelism items enriched at once per client
     */
    public OfflineEnrichmentFactory(List<List<String>> categoryPaths, int parallelism) {
        if (categoryPaths.stream().noneMatch(p -> !p.isEmpty())) {
            throw new IllegalArgumentException(
                    "the offline tagger needs a taxonomy: at least one non-empty category path");
        }
        this.paths = new ArrayList<>();
        categoryPaths.forEach(p -> paths.add(new ArrayList<>(p)));
        this.parallelism = parallelism;
    }

    @Override
    public EnrichmentClient create() {
        MiniLmEmbedder embedder = MiniLmEmbedder.create();
        try {
            OfflineTagger tagger = LlmEnrichmentFactory.offlineTagger(paths, embedder);
            InProcessEnrichmentClient inner =
                    new InProcessEnrichmentClient(Enricher.create(tagger, embedder), parallelism);
            return new OwningClient(inner, List.of(embedder));
        } catch (RuntimeException e) {
            embedder.close();
            throw e;
        }
    }
}
