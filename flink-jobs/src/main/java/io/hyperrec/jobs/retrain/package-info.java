/**
 * The RetrainJob: a bounded Flink job that trains a new model version on everything in {@code
 * interactions} up to the offsets at its start, gates it against the live version and publishes it.
 */
package io.hyperrec.jobs.retrain;
