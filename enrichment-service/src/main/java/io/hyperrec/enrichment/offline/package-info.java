/**
 * The offline tagger: zero-shot placement of an item in a category tree, with no LLM, used when no
 * LLM is configured or as the LLM tagger's fallback.
 *
 * <ol>
 *   <li>A {@link io.hyperrec.enrichment.offline.Taxonomy} is built once from known category paths
 *       (a catalogue, a list of {@code " > "}-joined paths, or a leveled tag graph) and normalised
 *       to exactly three levels of unique, tag-safe names.
 *   <li>An {@link io.hyperrec.enrichment.offline.OfflineTagger} embeds every taxonomy node once
 *       with a {@link io.hyperrec.enrichment.TextEmbedder} (normally the in-process MiniLM of
 *       {@code io.hyperrec.enrichment.embed}).
 *   <li>Each item's text is embedded and the tree is descended by cosine similarity with a beam;
 *       the best leaf, plus a near-tied second one, and their ancestors become the item's three
 *       levels of tags, with parent to child edges along the paths and a plain-text summary.
 * </ol>
 *
 * <p>Because every tag is a taxonomy node name, the output satisfies the tagging schema by
 * construction and nothing from the item's text, prompt injections included, can become a tag.
 * Options ({@link io.hyperrec.enrichment.offline.OfflineTaggerOptions}) hold the measured defaults;
 * the measurements are stated on {@link io.hyperrec.enrichment.offline.OfflineTagger}.
 */
package io.hyperrec.enrichment.offline;
