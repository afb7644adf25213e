/**
 * The enrichment service: one facade over a tagger and a text embedder, served over HTTP and called
 * by the Flink onboarding job.
 *
 * <p>How the pieces fit:
 *
 * <ul>
 *   <li>{@link io.hyperrec.enrichment.service.Enricher} is the facade: built from a {@link
 *       io.hyperrec.enrichment.Tagger} and a {@link io.hyperrec.enrichment.TextEmbedder} with
 *       {@link io.hyperrec.enrichment.service.EnricherOptions}, it tags items on a bounded pool and
 *       embeds each batch's documents in one embedder call, answering an {@link
 *       io.hyperrec.enrichment.service.Enrichment} (tagging, L2-normalised embedding of the item's
 *       document, encoder name, content hash, timings) per item, or per batch an {@link
 *       io.hyperrec.enrichment.service.EnrichmentResult} per item, so one failing item never loses
 *       the others. {@link io.hyperrec.enrichment.service.EnricherStats} counts items, failures,
 *       fallbacks and latency.
 *   <li>{@link io.hyperrec.enrichment.service.EnrichmentServer} serves one enricher: {@code POST
 *       /v1/enrich} (one item or a batch, strictly parsed), {@code GET /health}, {@code GET
 *       /metrics}, configured by {@link io.hyperrec.enrichment.service.EnrichmentServerOptions}.
 *   <li>{@link io.hyperrec.enrichment.service.EnrichmentClient} is what the Flink job's async
 *       function calls. {@link io.hyperrec.enrichment.service.HttpEnrichmentClient} posts to a
 *       server (the deployment where the service is its own process, or the demo's embedded one);
 *       {@link io.hyperrec.enrichment.service.InProcessEnrichmentClient} calls an enricher in the
 *       job's own JVM. Clients are created per subtask by a {@code Serializable} {@link
 *       io.hyperrec.enrichment.service.EnrichmentClientFactory}.
 * </ul>
 *
 * <pre>
 *   Tagger (FallbackTagger: LLM → offline) ─┐
 *                                           ├─► Enricher ─┬─► EnrichmentServer ◄── HttpEnrichmentClient ◄─ Flink
 *   TextEmbedder (MiniLM or OpenAI) ────────┘             └─► InProcessEnrichmentClient ◄──────────────── Flink
 * </pre>
 *
 * <h2>Fallback semantics</h2>
 *
 * With a {@link io.hyperrec.enrichment.llm.FallbackTagger} in front, an LLM failure (unreachable,
 * timed out, invalid replies after its retries) does not fail an item: the item gets the offline
 * tagger's tagging, marked {@code offline} with a {@code fallbackReason}, and is counted as a
 * fallback. An item fails only when the offline tagger or the embedder fails for it, and then it is
 * answered with an error naming the item and the stage (in a batch, beside the other items'
 * enrichments) and counted as a failure. An offline tagging without a reason is not a fallback: the
 * enricher was configured with the offline tagger alone.
 */
package io.hyperrec.enrichment.service;
