package io.hyperrec.store.ingest;

import io.hyperrec.core.model.TrainedModel;
import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.ItemCreated;
import io.hyperrec.schemas.avro.ItemEnriched;
import io.hyperrec.schemas.avro.ModelPublished;
import io.hyperrec.store.ModelStore;
import io.hyperrec.store.Snapshots;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a {@link ModelStore} from Kafka: embedding upserts ({@code model.updates}), published
 * versions ({@code model.versions}), interactions as seen items ({@code interactions}) and,
 * optionally, item titles, summaries and tags ({@code items.new}, {@code items.enriched}).
 *
 * <p>Delivery is at least once, and applying is idempotent: after each poll every record is
 * applied, the store's write-ahead log is synced, and only then are the offsets committed. A replay
 * after a crash re-applies records the store already has, which it drops as not newer (upserts) or
 * overwrites with the same value (seen items, metadata).
 *
 * <p>Bad input never stops the loop: a record that cannot be decoded or is invalid is counted per
 * topic, logged (the first and then every {@code logEvery}-th), handed to {@link RejectedRecords}
 * (a dead-letter topic) and skipped. A failure of the store itself is not bad input: the loop stops
 * without committing, state {@link State#FAILED}, and the records are consumed again on restart.
 *
 * <p>A {@code ModelPublished} for a version the store does not serve yet (the retrain normally
 * publishes to the store before emitting it) is loaded from its {@code location} (a {@code
 * TrainedModel} directory, as the store exports) and published; an older or equal version is
 * ignored.
 *
 * <p>Threading: {@link #run} is the loop and owns the consumer (which it closes); {@link #start}
 * runs it on a daemon thread. {@link #close} and {@link #stats} may be called from any thread.
 */
public final class ModelStoreIngest implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelStoreIngest.class);

    /** Where the loop is. */
    public enum State {
        /** Not started. */
        NEW,
        /** Polling. */
        RUNNING,
        /** Stopped by {@link #close}. */
        STOPPED,
        /** Stopped by a failure that is not bad input; see {@link #failure}. */
        FAILED
    }

    private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
    private final ModelStore store;
    private final IngestOptions options;
    private final IngestDecoders decoders;
    private final RejectedRecords rejectedRecords;
    private final Map<String, LongAdder> records = new LinkedHashMap<>();
    private final Map<String, LongAdder> rejected = new LinkedHashMap<>();
    private final LongAdder rejectedTotal = new LongAdder();
    private final LongAdder versionsPublished = new LongAdder();
    private final LongAdder batchesCommitted = new LongAdder();
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();

    private volatile boolean stopping;
    private volatile Thread thread;
    private volatile RuntimeException failure;
    private volatile double recordsPerSecond;
    private long windowStartMillis;
    private long windowStartRecords;

    /**
     * @param consumer a consumer with byte-array keys and values, auto-commit off; owned (closed)
     *     by this ingest
     * @param store the store to feed (not closed by this ingest)
     * @param options topics and tuning
     * @param decoders how values are decoded
     * @param rejectedRecords where rejected records go after being counted
     */
    public ModelStoreIngest(
            org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer,
            ModelStore store,
            IngestOptions options,
            IngestDecoders decoders,
            RejectedRecords rejectedRecords) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.store = Objects.requireNonNull(store, "store");
        this.options = Objects.requireNonNull(options, "options");
        this.decoders = Objects.requireNonNull(decoders, "decoders");
        this.rejectedRecords = Objects.requireNonNull(rejectedRecords, "rejectedRecords");
        for (String topic : options.topics()) {
            records.put(topic, new LongAdder());
            rejected.put(topic, new LongAdder());
        }
    }

    /**
     * Runs the loop on a new daemon thread named {@code model-store-ingest}.
     *
     * @return this
     */
    public ModelStoreIngest start() {
        Thread t = new Thread(this, "model-store-ingest");
        t.setDaemon(true);
        thread = t;
        t.start();
        return this;
    }

    /**
     * The loop: subscribes, then polls, applies and commits until {@link #close} or a failure of
     * the store. Runs once.
     *
     * @throws IllegalStateException when it already ran
     */
    @Override
    public void run() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            if (stopping) {
                return; // closed before the loop began
            }
            throw new IllegalStateException("the ingest already ran, state " + state.get());
        }
        windowStartMillis = options.clock().millis();
        State end = State.STOPPED;
        try {
            consumer.subscribe(options.topics());
            LOG.info("model store ingest: subscribed to {}", options.topics());
            while (!stopping) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(options.pollTimeout());
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    handle(r);
                    pending.put(
                            new TopicPartition(r.topic(), r.partition()),
                            new OffsetAndMetadata(r.offset() + 1));
                }
                commitPending();
                updateThroughput();
            }
        } catch (WakeupException e) {
            end = stopping ? finishAfterWakeup() : fail(e);
        } catch (RuntimeException e) {
            end = fail(e);
        } finally {
            try {
                consumer.close();
            } catch (RuntimeException e) {
                LOG.warn("model store ingest: closing the consumer failed", e);
            }
            // Set last, so that whoever sees STOPPED or FAILED also sees the consumer closed.
            state.set(end);
            finished.countDown();
        }
    }

    /** A stop woke the consumer up, possibly mid-commit: commit what was applied, once more. */
    private State finishAfterWakeup() {
        try {
            commitPending();
            return State.STOPPED;
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    private void commitPending() {
        if (pending.isEmpty()) {
            return;
        }
        store.sync();
        consumer.commitSync(Map.copyOf(pending));
        pending.clear();
        batchesCommitted.increment();
    }

    private State fail(RuntimeException e) {
        failure = e;
        // The loop's one report of the failure; stats() and failure() expose it afterwards.
        LOG.error(
                "model store ingest stopped: {} (uncommitted records are consumed again on"
                        + " restart)",
                e.toString(),
                e);
        return State.FAILED;
    }

    private void handle(ConsumerRecord<byte[], byte[]> r) {
        String topic = r.topic();
        LongAdder count = records.get(topic);
        if (count == null) {
            reject(r, "record from topic '" + topic + "', which this ingest did not subscribe to");
            return;
        }
        count.increment();
        if (r.value() == null) {
            reject(r, "value is null (a tombstone); expected a record");
            return;
        }
        if (topic.equals(options.updatesTopic())) {
            process(r, decoders.updates().andThen(AvroAdapters::toUpsert), store::apply);
        } else if (topic.equals(options.versionsTopic())) {
            process(r, decoders.versions(), this::ensureServed);
        } else if (topic.equals(options.interactionsTopic())) {
            process(r, decoders.interactions(), this::recordInteraction);
        } else if (topic.equals(options.itemsNewTopic())) {
            process(r, decoders.itemsNew(), this::recordItemCreated);
        } else {
            process(r, decoders.itemsEnriched(), this::recordItemEnriched);
        }
    }

    /**
     * Decodes then applies. Any exception while decoding, and an {@link IllegalArgumentException}
     * while applying, mean bad input: the record is rejected. Anything else propagates (a broken
     * store must stop the loop, not be skipped).
     */
    private <T> void process(
            ConsumerRecord<byte[], byte[]> r, Function<byte[], T> decode, Consumer<T> apply) {
        T value;
        try {
            value = decode.apply(r.value());
        } catch (RuntimeException e) {
            reject(r, describe(e));
            return;
        }
        try {
            apply.accept(value);
        } catch (IllegalArgumentException e) {
            reject(r, describe(e));
        }
    }

    private void ensureServed(ModelPublished published) {
        long version = published.getVersion();
        OptionalLong current = store.currentVersion();
        if (current.isPresent() && current.getAsLong() >= version) {
            return; // the retrain published to the store first, or a replay
        }
        String location = published.getLocation();
        TrainedModel model;
        try {
            model = TrainedModel.load(Path.of(location));
        } catch (UncheckedIOException | InvalidPathException e) {
            throw new IllegalArgumentException(
                    "cannot load model version " + version + " from location '" + location + "'",
                    e);
        }
        store.publish(version, model, published.getMetrics(), Snapshots.popularItems(model));
        versionsPublished.increment();
        LOG.info(
                "model store ingest: published version {} from {} (the store served {})",
                version,
                location,
                current.isPresent() ? current.getAsLong() : "none");
    }

    private void recordInteraction(Interaction i) {
        if (i.getEventTime() == null) {
            throw new IllegalArgumentException("Interaction.eventTime is missing");
        }
        store.recordInteraction(i.getUser(), i.getItem(), i.getEventTime().toEpochMilli());
    }

    private void recordItemCreated(ItemCreated item) {
        store.recordItemCreated(item.getItem(), item.getTitle());
    }

    private void recordItemEnriched(ItemEnriched item) {
        List<List<String>> levels = item.getTagLevels();
        store.recordItemEnriched(
                item.getItem(), item.getSummary(), levels == null ? List.of() : levels);
    }

    private void reject(ConsumerRecord<byte[], byte[]> r, String reason) {
        LongAdder perTopic = rejected.get(r.topic());
        if (perTopic != null) {
            perTopic.increment();
        }
        rejectedTotal.increment();
        long n = rejectedTotal.sum();
        if (n == 1 || n % options.logEvery() == 0) {
            LOG.warn(
                    "model store ingest: rejected {}-{}@{} ({} rejected so far, logging every {}):"
                            + " {}",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    n,
                    options.logEvery(),
                    reason);
        }
        rejectedRecords.reject(r, reason);
    }

    private static String describe(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += ": " + cause.getMessage();
        }
        return message;
    }

    private void updateThroughput() {
        long now = options.clock().millis();
        long elapsed = now - windowStartMillis;
        if (elapsed >= options.throughputWindow().toMillis()) {
            long total = totalRecords();
            recordsPerSecond = (total - windowStartRecords) * 1000.0 / elapsed;
            windowStartMillis = now;
            windowStartRecords = total;
        }
    }

    private long totalRecords() {
        long n = 0;
        for (LongAdder a : records.values()) {
            n += a.sum();
        }
        return n;
    }

    /** Where the loop is. */
    public State state() {
        return state.get();
    }

    /** What stopped the loop when {@link #state} is {@link State#FAILED}; else null. */
    public RuntimeException failure() {
        return failure;
    }

    /** The ingest's counters. */
    public IngestStats stats() {
        Map<String, Long> r = new LinkedHashMap<>();
        Map<String, Long> x = new LinkedHashMap<>();
        records.forEach((t, a) -> r.put(t, a.sum()));
        rejected.forEach((t, a) -> x.put(t, a.sum()));
        return new IngestStats(
                state.get(),
                r,
                x,
                versionsPublished.sum(),
                batchesCommitted.sum(),
                recordsPerSecond);
    }

    /**
     * Stops the loop: wakes the consumer up, lets the loop commit what it applied and close the
     * consumer, and waits for it (up to 30 s) when it runs on the thread of {@link #start}.
     * Idempotent.
     *
     * @throws IllegalStateException when the loop does not stop within 30 s
     */
    @Override
    public void close() {
        stopping = true;
        if (state.get() == State.NEW) {
            if (state.compareAndSet(State.NEW, State.STOPPED)) {
                consumer.close();
                finished.countDown();
                return;
            }
        }
        consumer.wakeup();
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            awaitStop(Duration.ofSeconds(30));
        }
    }

    private void awaitStop(Duration timeout) {
        try {
            if (!finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(
                        "the model store ingest did not stop within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the model store ingest", e);
        }
    }
}
