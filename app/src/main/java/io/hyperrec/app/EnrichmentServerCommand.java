package io.hyperrec.app;

import io.hyperrec.core.data.ItemCatalog;
import io.hyperrec.core.data.RecboleReader;
import io.hyperrec.enrichment.Tagger;
import io.hyperrec.enrichment.cache.ReplyCache;
import io.hyperrec.enrichment.embed.MiniLmEmbedder;
import io.hyperrec.enrichment.llm.ChatClient;
import io.hyperrec.enrichment.offline.OfflineTagger;
import io.hyperrec.enrichment.service.Enricher;
import io.hyperrec.enrichment.service.EnrichmentServer;
import io.hyperrec.enrichment.service.EnrichmentServerOptions;
import io.hyperrec.enrichment.service.LlmEnrichmentFactory;
import io.hyperrec.enrichment.service.OwningClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hyperrec enrichment-server}: the enrichment service as its own process ({@code POST
 * /v1/enrich}, {@code GET /health}, {@code GET /metrics}), for onboarding jobs on a cluster or a
 * demo started with {@code --enrichment-url}.
 */
@Command(
        name = "enrichment-server",
        mixinStandardHelpOptions = true,
        description = {
            "Serves item enrichment over HTTP: POST /v1/enrich (batches), GET /health, GET /metrics.",
            "Tags with the offline tagger over a taxonomy of category paths, or with an LLM",
            "(--llm-url, --llm-model) falling back per item to the offline tagger; embeds with",
            "MiniLM in process. Runs until stopped (Ctrl-C)."
        })
final class EnrichmentServerCommand implements Callable<Integer> {
    @Option(
            names = "--taxonomy-dataset",
            paramLabel = "DIR",
            description =
                    "Take the taxonomy from the category paths of this RecBole dataset's item file,"
                            + " e.g. ../shared/datasets/amazon-beauty.")
    Path taxonomyDataset;

    @Option(
            names = "--taxonomy",
            paramLabel = "FILE",
            description =
                    "Take the taxonomy from this text file: one category path per line, levels"
                            + " joined by ' > ' (e.g. Beauty > Makeup > Face).")
    Path taxonomyFile;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "Interface to listen on (default ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--port",
            defaultValue = "8081",
            description = "Port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(
            names = "--cache-dir",
            defaultValue = "hyperrec-enrichment-cache",
            paramLabel = "DIR",
            description = "The LLM's reply cache (RocksDB; default ${DEFAULT-VALUE}).")
    Path cacheDir;

    @Mixin EnrichmentCliOptions llm;

    @Override
    public Integer call() throws Exception {
        try (Running r = start()) {
            System.out.printf(
                    "enrichment service on http://%s:%d (%s, %s); Ctrl-C stops%n",
                    host, r.server().port(), r.tagger(), MiniLmEmbedder.NAME);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(stopped::countDown, "enrichment-server-stop"));
            stopped.await();
        }
        return 0;
    }

    /** A started service and what it owns. */
    record Running(EnrichmentServer server, String tagger, List<AutoCloseable> owned)
            implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            OwningClient.closeAll(owned);
        }
    }

    /** Starts the service from the options (tests call this instead of {@link #call}). */
    Running start() {
        if (llm.enrichmentUrl != null) {
            throw new IllegalArgumentException(
                    "--enrichment-url " + llm.enrichmentUrl + " is for clients of this service");
        }
        llm.check();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in [0, 65535], got " + port);
        }
        List<List<String>> paths = taxonomy();
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            MiniLmEmbedder embedder = MiniLmEmbedder.create();
            owned.add(embedder);
            OfflineTagger offline = LlmEnrichmentFactory.offlineTagger(paths, embedder);
            Tagger tagger = offline;
            if (llm.llm()) {
                ReplyCache cache = ReplyCache.open(cacheDir);
                owned.add(cache);
                tagger =
                        LlmEnrichmentFactory.tagger(
                                ChatClient.create(llm.options()), cache, offline);
            }
            Enricher enricher = Enricher.create(tagger, embedder);
            owned.add(enricher);
            EnrichmentServer server =
                    EnrichmentServer.start(
                            enricher,
                            EnrichmentServerOptions.builder().host(host).port(port).build());
            return new Running(server, tagger.name(), owned);
        } catch (RuntimeException e) {
            OwningClient.closeAll(owned);
            throw e;
        }
    }

    private List<List<String>> taxonomy() {
        if ((taxonomyDataset == null) == (taxonomyFile == null)) {
            throw new IllegalArgumentException(
                    "give exactly one of --taxonomy-dataset DIR and --taxonomy FILE: the offline"
                            + " tagger (and the LLM's fallback) needs a taxonomy");
        }
        List<List<String>> paths = new ArrayList<>();
        if (taxonomyDataset != null) {
            if (!Files.isDirectory(taxonomyDataset)) {
                throw new IllegalArgumentException(
                        "--taxonomy-dataset " + taxonomyDataset + ": not a directory");
            }
            ItemCatalog catalog =
                    RecboleReader.read(taxonomyDataset)
                            .catalog()
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "--taxonomy-dataset "
                                                            + taxonomyDataset
                                                            + ": no item file with category"
                                                            + " paths"));
            for (int i = 0; i < catalog.numItems(); i++) {
                paths.add(catalog.categoryPath(i));
            }
        } else {
            try {
                for (String line : Files.readAllLines(taxonomyFile)) {
                    if (!line.isBlank()) {
                        paths.add(List.of(line.strip().split("\\s*>\\s*")));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("--taxonomy " + taxonomyFile + ": cannot read", e);
            }
        }
        if (paths.stream().allMatch(List::isEmpty)) {
            throw new IllegalArgumentException(
                    "the taxonomy is empty: "
                            + (taxonomyDataset != null
                                    ? "no item of " + taxonomyDataset + " has a category path"
                                    : taxonomyFile + " has no path"));
        }
        return paths;
    }
}
