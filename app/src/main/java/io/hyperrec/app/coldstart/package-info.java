/**
 * The cold-start evaluation ({@code hyperrec evaluate-cold-start}): held-out items onboarded
 * through the real pipeline and ranked against the whole catalogue, beside content-kNN, tags-only,
 * text-only and random baselines.
 */
package io.hyperrec.app.coldstart;
