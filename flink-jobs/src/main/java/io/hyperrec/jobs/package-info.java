/**
 * The Flink jobs: ItemOnboardingJob, OnlineUpdateJob and RetrainJob. Built in the streaming issue;
 * this module holds nothing yet.
 */
package io.hyperrec.jobs;
