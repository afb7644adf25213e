/**
 * Text embedders: the two {@link io.hyperrec.enrichment.TextEmbedder} implementations that turn an
 * item's text into a unit-norm vector for cold start and for the offline tagger.
 *
 * <ul>
 *   <li>{@link io.hyperrec.enrichment.embed.MiniLmEmbedder}: all-MiniLM-L6-v2 (int8 ONNX, 384
 *       dimensions) in process on ONNX Runtime; no network, deterministic, created once with {@link
 *       io.hyperrec.enrichment.embed.MiniLmOptions} and shared (thread-safe), closed at shutdown.
 *       The default encoder, and the one the offline tagger's accuracy was measured with.
 *   <li>{@link io.hyperrec.enrichment.embed.OpenAiEmbedder}: any OpenAI-compatible {@code
 *       /embeddings} endpoint, configured by {@link
 *       io.hyperrec.enrichment.embed.OpenAiEmbedderOptions} (the API key comes from an environment
 *       variable, never from the options), retrying rate limits and server errors through an
 *       injected {@link io.hyperrec.enrichment.embed.Sleeper}.
 * </ul>
 *
 * <p>Both batch internally, return vectors in input order, validate what they get and report
 * failures as {@link io.hyperrec.enrichment.EnrichmentException} naming the text range or endpoint.
 * Vectors of different encoders are not comparable: {@link
 * io.hyperrec.enrichment.TextEmbedder#name()} is recorded with every vector.
 */
package io.hyperrec.enrichment.embed;
