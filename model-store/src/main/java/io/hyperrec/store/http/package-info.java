/**
 * The model store's HTTP API: {@link io.hyperrec.store.http.ServingServer} (Javalin 7 routes,
 * validation, JSON errors), {@link io.hyperrec.store.http.ServingMetrics} (Prometheus), and the
 * {@link io.hyperrec.store.http.EventSink} that posted interactions and items go to ({@link
 * io.hyperrec.store.http.KafkaEventSink} in production).
 */
package io.hyperrec.store.http;
