/**
 * Enrichment of new catalogue items for cold start: a {@link io.hyperrec.enrichment.Tagger} writes
 * a summary, three levels of tags and parent to child edges ({@link
 * io.hyperrec.enrichment.Tagging}); a {@link io.hyperrec.enrichment.TextEmbedder} turns the item's
 * text into a vector. Sub-packages hold the LLM tagger ({@code llm}), the offline tagger and the
 * embedders ({@code offline}, {@code embed}).
 */
package io.hyperrec.enrichment;
