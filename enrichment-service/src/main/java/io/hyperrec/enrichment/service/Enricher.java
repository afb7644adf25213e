package io.hyperrec.enrichment.service;

import io.hyperrec.enrichment.EnrichmentException;
import io.hyperrec.enrichment.ItemText;
import io.hyperrec.enrichment.Tagger;
import io.hyperrec.enrichment.Tagging;
import io.hyperrec.enrichment.TextEmbedder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enriches items: tags each with a {@link Tagger} and embeds their text with a {@link
 * TextEmbedder}, answering {@link Enrichment}s. The one entry point used by the HTTP service
 * ({@link EnrichmentServer}) and by the in-process client ({@link InProcessEnrichmentClient}).
 *
 * <h2>What is embedded</h2>
 *
 * The item's {@link ItemText#document() document}: title, attributes sorted by key, text. Not the
 * tagging's summary: the summary depends on which tagger answered (an LLM or, after a failure, the
 * offline tagger), so embedding it would give one item different vectors on a retry or a replay,
 * and it would make the embedding wait for the tagging. So the embedding is a function of the
 * item's text and the encoder alone, its {@link Enrichment#contentHash() content hash} identifies
 * the text embedded, and embedding runs alongside tagging.
 *
 * <h2>Batches</h2>
 *
 * {@link #enrichAll} hands every item's tagging to a pool of {@link EnricherOptions#parallelism()}
 * threads (shared by all callers, so taggings at once never exceed it) and, meanwhile, embeds all
 * documents in <em>one</em> {@link TextEmbedder#embed} call on the calling thread. Should that call
 * fail, each document is embedded on its own, so one text the encoder rejects fails only its item.
 * Each item then gets an {@link EnrichmentResult}: its enrichment, or an error naming the item and
 * the stage. No item is dropped; a failure is counted and logged once, here.
 *
 * <h2>What is checked</h2>
 *
 * Every tagging is normalised and validated ({@link
 * io.hyperrec.enrichment.TaggingValidator#check}); every vector must have {@link
 * TextEmbedder#dim()} finite values and a Euclidean norm within {@link #NORM_TOLERANCE} of 1. An
 * item whose tagging or vector breaks these fails with the rule named.
 *
 * <h2>Fallbacks</h2>
 *
 * The tagger is usually a {@link io.hyperrec.enrichment.llm.FallbackTagger} (LLM, then offline):
 * then an LLM failure does not fail the item, it yields an offline tagging with a {@code
 * fallbackReason}, which {@link EnricherStats#fallbacks()} counts. An item fails only when the
 * offline tagger or the embedder fails too.
 *
 * <p>Thread-safe. The tagger and the embedder are not owned: {@link #close} stops the tagging
 * threads only, and whoever created the tagger and embedder closes them, after this.
 */
public final class Enricher implements AutoCloseable {
    /** How far from 1 a vector's Euclidean norm may be. */
    public static final double NORM_TOLERANCE = 1e-3;

    private static final Logger LOG = LoggerFactory.getLogger(Enricher.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Tagger tagger;
    private final TextEmbedder embedder;
    private final EnricherOptions options;
    private final ExecutorService taggingPool;
    private final EnricherStats stats = new EnricherStats();
    private volatile boolean closed;

    /**
     * An enricher; its tagging threads start on first use.
     *
     * @param tagger tags items; thread-safe
     * @param embedder embeds documents; thread-safe
     * @param options parallelism and tagging rules
     */
    public Enricher(Tagger tagger, TextEmbedder embedder, EnricherOptions options) {
        this.tagger = Objects.requireNonNull(tagger, "tagger");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.options = Objects.requireNonNull(options, "options");
        this.taggingPool =
                Executors.newFixedThreadPool(
                        options.parallelism(), threads("enricher-" + POOLS.incrementAndGet()));
    }

    /** An enricher with {@link EnricherOptions#defaults()}. */
    public static Enricher create(Tagger tagger, TextEmbedder embedder) {
        return new Enricher(tagger, embedder, EnricherOptions.defaults());
    }

    /**
     * Enriches one item.
     *
     * @throws EnrichmentException naming the item and the stage, when it cannot be enriched or the
     *     enricher is closed
     */
    public Enrichment enrich(ItemText item) {
        Objects.requireNonNull(item, "item");
        return enrichAll(List.of(item)).get(0).get();
    }

    /**
     * Enriches a batch: taggings in parallel, one embedder call for all documents.
     *
     * @param items the items; duplicates are enriched twice
     * @return one result per item, in input order; an item that failed carries its error
     * @throws EnrichmentException only when the enricher was closed before the call or the calling
     *     thread is interrupted (its interrupt flag then stays set), never for one item's failure;
     *     items not yet tagged when the enricher is closed during the call fail as closed
     */
    public List<EnrichmentResult> enrichAll(List<ItemText> items) {
        Objects.requireNonNull(items, "items");
        for (int i = 0; i < items.size(); i++) {
            Objects.requireNonNull(items.get(i), "items[" + i + "]");
        }
        if (closed) {
            throw new EnrichmentException("enricher is closed");
        }
        int n = items.size();
        if (n == 0) {
            return List.of();
        }
        long start = System.nanoTime();
        stats.itemsAsked(n);
        List<Future<Tagged>> taggings = new ArrayList<>(n);
        for (ItemText item : items) {
            Future<Tagged> f;
            try {
                f = taggingPool.submit(() -> tag(item));
            } catch (RejectedExecutionException e) {
                // Closed while this batch was being handed over: like the queued items, the rest
                // fail as closed rather than the whole call failing.
                f = CompletableFuture.completedFuture(Tagged.failed(closedBeforeTagged(item, e)));
            }
            taggings.add(f);
        }
        List<String> documents = items.stream().map(ItemText::document).toList();
        Embedded embedded = embed(items, documents);

        List<EnrichmentResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ItemText item = items.get(i);
            Tagged tagged;
            try {
                tagged = taggings.get(i).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                taggings.forEach(f -> f.cancel(true));
                long now = System.nanoTime();
                for (int j = i; j < n; j++) {
                    stats.failed(now - start);
                }
                throw new EnrichmentException(
                        "interrupted while enriching "
                                + n
                                + " items, at item '"
                                + item.item()
                                + "'",
                        e);
            } catch (CancellationException e) {
                tagged = Tagged.failed(closedBeforeTagged(item, e));
            } catch (ExecutionException e) {
                // tag() catches every exception, so this is an Error: it ends the call.
                taggings.forEach(f -> f.cancel(true));
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("tagging threw " + e.getCause(), e.getCause());
            }
            results.add(result(item, documents.get(i), tagged, embedded, i, start));
        }
        return results;
    }

    private static EnrichmentException closedBeforeTagged(ItemText item, Exception cause) {
        return new EnrichmentException(
                "item '" + item.item() + "': the enricher was closed before it was tagged", cause);
    }

    /** The tagger's name. */
    public String taggerName() {
        return tagger.name();
    }

    /** The text encoder's name, as on every {@link Enrichment#textEncoder()}. */
    public String textEncoder() {
        return embedder.name();
    }

    /** The embeddings' dimension. */
    public int dim() {
        return embedder.dim();
    }

    /** The options. */
    public EnricherOptions options() {
        return options;
    }

    /** The live counters. */
    public EnricherStats stats() {
        return stats;
    }

    /** Whether {@link #close} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops the tagging threads: running taggings are interrupted, queued ones are not started and
     * their items fail with "closed"; later calls throw. Does not close the tagger or the embedder.
     * Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        for (Runnable pending : taggingPool.shutdownNow()) {
            if (pending instanceof Future<?> f) {
                f.cancel(false);
            }
        }
    }

    @Override
    public String toString() {
        return "Enricher{tagger="
                + tagger.name()
                + ", textEncoder="
                + embedder.name()
                + ", "
                + options
                + "}";
    }

    // ------------------------------------------------------------------ tagging

    /** One item's tagging outcome; exactly one of tagging and error is non-null. */
    private record Tagged(Tagging tagging, EnrichmentException error, long millis, long endNanos) {
        static Tagged failed(EnrichmentException error) {
            return new Tagged(null, error, 0, System.nanoTime());
        }
    }

    /** Runs on a tagging thread; never throws an exception. */
    private Tagged tag(ItemText item) {
        long start = System.nanoTime();
        try {
            Tagging t = options.validator().check(tagger.tag(item));
            long end = System.nanoTime();
            return new Tagged(t, null, TimeUnit.NANOSECONDS.toMillis(end - start), end);
        } catch (EnrichmentException e) {
            return Tagged.failed(
                    new EnrichmentException(
                            "item '"
                                    + item.item()
                                    + "': tagging by "
                                    + tagger.name()
                                    + " failed: "
                                    + e.getMessage(),
                            e));
        } catch (RuntimeException e) {
            // A bug in the tagger: the item fails, the batch goes on; the stack trace is logged
            // once, with the item's failure.
            return Tagged.failed(
                    new EnrichmentException(
                            "item '"
                                    + item.item()
                                    + "': tagging by "
                                    + tagger.name()
                                    + " failed with an internal error: "
                                    + e,
                            e));
        }
    }

    // ------------------------------------------------------------------ embedding

    /** The batch's vectors or per-item errors, index-aligned with the items. */
    private record Embedded(
            float[][] vectors, EnrichmentException[] errors, long millis, long end) {}

    private Embedded embed(List<ItemText> items, List<String> documents) {
        int n = documents.size();
        float[][] vectors = new float[n][];
        EnrichmentException[] errors = new EnrichmentException[n];
        long start = System.nanoTime();
        try {
            List<float[]> batch = callEmbedder(documents);
            for (int i = 0; i < n; i++) {
                store(items.get(i), batch.get(i), i, vectors, errors);
            }
        } catch (RuntimeException batchFailure) {
            if (n == 1) {
                errors[0] = embeddingFailed(items.get(0), batchFailure);
            } else {
                LOG.warn(
                        "embedding a batch of {} documents by {} failed, embedding them one by"
                                + " one: {}",
                        n,
                        embedder.name(),
                        batchFailure.toString());
                for (int i = 0; i < n; i++) {
                    try {
                        store(
                                items.get(i),
                                callEmbedder(List.of(documents.get(i))).get(0),
                                i,
                                vectors,
                                errors);
                    } catch (RuntimeException e) {
                        errors[i] = embeddingFailed(items.get(i), e);
                    }
                }
            }
        }
        long end = System.nanoTime();
        return new Embedded(vectors, errors, TimeUnit.NANOSECONDS.toMillis(end - start), end);
    }

    /** One embedder call, checked to answer one vector per document. */
    private List<float[]> callEmbedder(List<String> documents) {
        stats.embedderCall();
        List<float[]> out = embedder.embed(documents);
        if (out == null || out.size() != documents.size()) {
            throw new EnrichmentException(
                    "embedder "
                            + embedder.name()
                            + " answered "
                            + (out == null ? "null" : out.size() + " vectors")
                            + " for "
                            + documents.size()
                            + " documents");
        }
        return out;
    }

    private void store(
            ItemText item, float[] vector, int i, float[][] vectors, EnrichmentException[] errors) {
        String problem = vectorProblem(vector);
        if (problem == null) {
            vectors[i] = vector;
        } else {
            errors[i] =
                    new EnrichmentException(
                            "item '"
                                    + item.item()
                                    + "': embedding by "
                                    + embedder.name()
                                    + " is invalid: "
                                    + problem);
        }
    }

    /** What is wrong with a vector, or null: its dimension, a non-finite value, its norm. */
    private String vectorProblem(float[] v) {
        if (v == null) {
            return "the vector is null";
        }
        if (v.length != embedder.dim()) {
            return "it has " + v.length + " values, expected dim " + embedder.dim();
        }
        double sum = 0;
        for (int j = 0; j < v.length; j++) {
            if (!Float.isFinite(v[j])) {
                return "value " + j + " is " + v[j];
            }
            sum += (double) v[j] * v[j];
        }
        double norm = Math.sqrt(sum);
        if (Math.abs(norm - 1) > NORM_TOLERANCE) {
            return "it is not L2-normalised: its norm is " + norm;
        }
        return null;
    }

    private EnrichmentException embeddingFailed(ItemText item, RuntimeException e) {
        String how = e instanceof EnrichmentException ? " failed: " : " failed with an error: ";
        return new EnrichmentException(
                "item '"
                        + item.item()
                        + "': embedding by "
                        + embedder.name()
                        + how
                        + (e instanceof EnrichmentException ? e.getMessage() : e.toString()),
                e);
    }

    // ------------------------------------------------------------------ results

    private EnrichmentResult result(
            ItemText item, String document, Tagged tagged, Embedded embedded, int i, long start) {
        long latency = Math.max(tagged.endNanos(), embedded.end()) - start;
        EnrichmentException error = tagged.error() != null ? tagged.error() : embedded.errors()[i];
        if (error != null) {
            stats.failed(latency);
            if (isInternal(error.getCause())) {
                LOG.error("{}", error.getMessage(), error.getCause());
            } else {
                LOG.warn("{}", error.getMessage());
            }
            return EnrichmentResult.failure(item.item(), error);
        }
        Tagging t = tagged.tagging();
        stats.enriched(t.offline() && t.fallbackReason() != null, latency);
        return EnrichmentResult.success(
                new Enrichment(
                        item.item(),
                        t,
                        embedded.vectors()[i],
                        embedder.name(),
                        contentHash(document),
                        tagged.millis(),
                        embedded.millis()));
    }

    /** Whether a failure's cause is a bug (worth a stack trace) rather than a domain failure. */
    private static boolean isInternal(Throwable cause) {
        return cause != null
                && !(cause instanceof EnrichmentException)
                && !(cause instanceof CancellationException)
                && !(cause instanceof RejectedExecutionException);
    }

    /** SHA-256 of the document's UTF-8 bytes, in lower-case hex. */
    static String contentHash(String document) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(document.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-tagging-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
