/**
 * Enrichment of new catalogue items: LLM tagging (three tag levels, parent to child edges, a
 * summary), the offline tagger and the text embedder. Built in the cold-start issue; this module
 * holds nothing yet.
 */
package io.hyperrec.enrichment;
