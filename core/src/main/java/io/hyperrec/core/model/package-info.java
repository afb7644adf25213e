/**
 * Trained models and their use: {@link io.hyperrec.core.model.Hgcf} builds item and user points,
 * {@link io.hyperrec.core.model.TrainedModel} is the immutable published result (and its directory
 * format), {@link io.hyperrec.core.model.LorentzScorer} is the one top-k scorer that the model
 * store, the streaming job and evaluation share, and {@link io.hyperrec.core.model.EmbeddingUpsert}
 * is an online change to a published model's point, ordered by (model version, sequence number).
 */
package io.hyperrec.core.model;
