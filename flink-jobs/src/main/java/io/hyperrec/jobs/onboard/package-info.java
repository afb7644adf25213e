/**
 * The ItemOnboardingJob: a new item is validated ({@link io.hyperrec.jobs.onboard.ItemValidator}),
 * enriched asynchronously with an offline fallback ({@code EnrichFunction}: tags, summary, text
 * embedding), written to {@code items.enriched}, and placed in the live version's user–item space
 * by its cold-start model ({@code PlaceFunction}), which emits the item's point to {@code
 * model.updates} (served at once) and {@code model.items} (the update job's item table).
 */
package io.hyperrec.jobs.onboard;
