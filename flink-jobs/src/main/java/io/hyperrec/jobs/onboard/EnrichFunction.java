package io.hyperrec.jobs.onboard;

import io.hyperrec.enrichment.ItemText;
import io.hyperrec.enrichment.service.Enrichment;
import io.hyperrec.enrichment.service.EnrichmentClient;
import io.hyperrec.enrichment.service.EnrichmentClientFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enriches a new item asynchronously through the primary {@link EnrichmentClient} (the enrichment
 * service over HTTP, or in process). When the primary fails, the item is enriched by the offline
 * client instead and marked as a fallback with the primary's error, and the result is flagged
 * {@link EnrichedItem#retryable} so that the async stage's retry strategy asks the primary again;
 * after the last attempt the fallback stands. A timeout of the whole stage also completes with the
 * offline enrichment. The job never fails on a failing LLM and never drops an item.
 */
final class EnrichFunction extends RichAsyncFunction<NewItem, EnrichedItem> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EnrichFunction.class);

    private final EnrichmentClientFactory primaryFactory;
    private final EnrichmentClientFactory offlineFactory;
    private final Duration offlineTimeout;
    private transient EnrichmentClient primary;
    private transient EnrichmentClient offline;
    private transient Counter fallbacks;
    private transient Counter enriched;

    EnrichFunction(
            EnrichmentClientFactory primary,
            EnrichmentClientFactory offline,
            Duration offlineTimeout) {
        this.primaryFactory = primary;
        this.offlineFactory = offline;
        this.offlineTimeout = offlineTimeout;
    }

    @Override
    public void open(OpenContext openContext) {
        primary = primaryFactory.create();
        offline = offlineFactory.create();
        fallbacks = getRuntimeContext().getMetricGroup().counter("enrichmentFallbacks");
        enriched = getRuntimeContext().getMetricGroup().counter("itemsEnriched");
    }

    @Override
    public void close() {
        if (primary != null) {
            primary.close();
        }
        if (offline != null) {
            offline.close();
        }
    }

    static ItemText text(NewItem in) {
        return new ItemText(in.item, in.title, in.text, in.attributes);
    }

    @Override
    public void asyncInvoke(NewItem in, ResultFuture<EnrichedItem> result) {
        primary.enrich(text(in))
                .whenComplete(
                        (e, err) -> {
                            if (err == null) {
                                enriched.inc();
                                result.complete(List.of(EnrichedItem.of(in, e, false)));
                            } else {
                                fallBack(in, reason(err), true, result);
                            }
                        });
    }

    @Override
    public void timeout(NewItem in, ResultFuture<EnrichedItem> result) {
        fallBack(in, "enrichment timed out", false, result);
    }

    private void fallBack(
            NewItem in, String reason, boolean retryable, ResultFuture<EnrichedItem> result) {
        fallbacks.inc();
        LOG.warn("item '{}': offline enrichment: {}", in.item, reason);
        try {
            Enrichment e =
                    offline.enrich(text(in)).get(offlineTimeout.toMillis(), TimeUnit.MILLISECONDS);
            Enrichment marked =
                    new Enrichment(
                            e.item(),
                            e.tagging().asFallback(reason),
                            e.embedding(),
                            e.textEncoder(),
                            e.contentHash(),
                            e.taggingMillis(),
                            e.embeddingMillis());
            result.complete(List.of(EnrichedItem.of(in, marked, retryable)));
        } catch (Exception ex) {
            // The offline path is local; if it fails too, the stage's retries (or the job's
            // restart) take over rather than dropping the item.
            result.completeExceptionally(
                    new IllegalStateException(
                            "item '"
                                    + in.item
                                    + "': the offline enrichment failed too ("
                                    + reason
                                    + ")",
                            ex));
        }
    }

    private static String reason(Throwable err) {
        Throwable t =
                err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
