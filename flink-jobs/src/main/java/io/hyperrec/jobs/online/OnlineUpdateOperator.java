package io.hyperrec.jobs.online;

import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.model.TrainedModel;
import io.hyperrec.core.online.ItemTable;
import io.hyperrec.core.online.OnlineConfig;
import io.hyperrec.core.online.OnlineUpdater;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The heart of the OnlineUpdateJob: per interaction, one Riemannian SGD step on the user's point
 * against the item table of the live model version, micro-batched through {@link Kernels}.
 *
 * <p>Input 1 is the keyed (by user) stream of validated interactions; input 2 is the broadcast
 * control stream (new versions, cold-start items). Events are buffered and flushed as one batch
 * when {@code maxBatch} events are waiting, when the oldest has waited {@code flushInterval},
 * before every checkpoint barrier (so a checkpoint never holds half-applied events) and at the end
 * of input. Within a batch a user's events are applied in order, one per kernel call round; {@link
 * OnlineUpdater} makes the result independent of how events were batched, so a job restored from a
 * checkpoint reproduces an uninterrupted one exactly (with deterministic kernels).
 *
 * <p>A custom operator rather than a {@code KeyedBroadcastProcessFunction}: a process function sees
 * one key at a time and cannot gather many users into one kernel call; an operator can switch the
 * key context ({@link #setCurrentKey}) while flushing.
 *
 * <p>Version switch: on a VERSION control event the operator flushes what it holds (those events
 * belong to the old version), loads the new version's snapshot ({@link ModelSnapshots}, once per
 * TaskManager), and re-bases every user it holds state for: the user's point becomes the retrained
 * one (or, for a user the retrain did not see, the tangent mean of their items) and the user's
 * logged events after the retrain's snapshot offsets are applied again on top. Replayed users get
 * an update in the new version at once. Events that arrive later for a not yet re-based user (a
 * state restored from before the switch) are re-based lazily the same way.
 */
public final class OnlineUpdateOperator extends AbstractStreamOperator<UserUpdate>
        implements TwoInputStreamOperator<UserEvent, ControlEvent, UserUpdate>, BoundedMultiInput {
    private static final long serialVersionUID = 1L;

    /** Items remembered per user to keep them out of the negatives. */
    static final int RECENT = 32;

    private final OnlineConfig config;
    private final long flushIntervalMs;
    private final Duration logTtl;
    private final ControlEvent initialVersion;
    private final KernelsFactory kernelsFactory;

    private transient Kernels kernels;
    private transient OnlineUpdater updater;
    private transient ValueState<UserState> userState;
    private transient ListState<LoggedEvent> userLog;
    private transient ListState<ControlEvent> controlState;

    private transient ControlEvent current;
    private transient TrainedModel model;
    private transient ItemTable table;
    private transient List<ControlEvent> currentItems;
    private transient Map<Long, List<ControlEvent>> futureItems;
    private transient List<UserEvent> pending;
    private transient boolean flushScheduled;
    private transient StreamRecord<UserUpdate> reuse;

    private transient Counter updates;
    private transient Counter unknownItems;
    private transient Counter rebased;
    private transient Counter batches;

    /**
     * @param config the step settings
     * @param flushIntervalMs the longest an event waits for its batch (bounds per-event latency)
     * @param logTtl how long a user's event log is kept for re-basing on a new version
     * @param initialVersion the version to start from when there is no restored state
     * @param kernelsFactory the kernels each subtask computes with
     */
    public OnlineUpdateOperator(
            OnlineConfig config,
            long flushIntervalMs,
            Duration logTtl,
            ControlEvent initialVersion,
            KernelsFactory kernelsFactory) {
        if (initialVersion.kind != ControlEvent.Kind.VERSION) {
            throw new IllegalArgumentException(
                    "the initial model must be a VERSION control event, got " + initialVersion);
        }
        if (flushIntervalMs < 0) {
            throw new IllegalArgumentException(
                    "flushIntervalMs must be >= 0, got " + flushIntervalMs);
        }
        this.config = config;
        this.flushIntervalMs = flushIntervalMs;
        this.logTtl = logTtl;
        this.initialVersion = initialVersion;
        this.kernelsFactory = kernelsFactory;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        controlState =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(
                                        "control", TypeInformation.of(ControlEvent.class)));
        ControlEvent restoredVersion = null;
        List<ControlEvent> restoredItems = new ArrayList<>();
        if (context.isRestored()) {
            for (ControlEvent e : controlState.get()) {
                if (e.kind == ControlEvent.Kind.VERSION
                        && (restoredVersion == null || e.version > restoredVersion.version)) {
                    restoredVersion = e;
                }
            }
            if (restoredVersion != null) {
                for (ControlEvent e : controlState.get()) {
                    if (e.kind == ControlEvent.Kind.ITEM && e.version == restoredVersion.version) {
                        restoredItems.add(e);
                    }
                }
            }
        }
        futureItems = new HashMap<>();
        currentItems = new ArrayList<>();
        switchTo(restoredVersion != null ? restoredVersion : initialVersion);
        for (ControlEvent item : restoredItems) {
            addItem(item);
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(logTtl)
                        .updateTtlOnCreateAndWrite()
                        .neverReturnExpired()
                        .cleanupInRocksdbCompactFilter(1000)
                        .build();
        ListStateDescriptor<LoggedEvent> logDescriptor =
                new ListStateDescriptor<>("log", TypeInformation.of(LoggedEvent.class));
        logDescriptor.enableTimeToLive(ttl);
        userLog = getPartitionedState(logDescriptor);
        userState =
                getPartitionedState(
                        new ValueStateDescriptor<>("user", TypeInformation.of(UserState.class)));
        kernels =
                kernelsFactory.create(
                        TaskGpus.indexes(
                                getRuntimeContext().getExternalResourceInfos(TaskGpus.RESOURCE)),
                        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
        updater = new OnlineUpdater(kernels, config);
        pending = new ArrayList<>();
        reuse = new StreamRecord<>(null);
        updates = getMetricGroup().counter("userUpdates");
        unknownItems = getMetricGroup().counter("unknownItems");
        rebased = getMetricGroup().counter("usersRebased");
        batches = getMetricGroup().counter("microBatches");
        getMetricGroup().gauge("modelVersion", () -> current == null ? -1L : current.version);
    }

    @Override
    public void processElement1(StreamRecord<UserEvent> element) throws Exception {
        pending.add(element.getValue());
        if (pending.size() >= config.maxBatch()) {
            flush();
        } else if (!flushScheduled) {
            flushScheduled = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService()
                    .registerTimer(
                            now + flushIntervalMs,
                            t -> {
                                flushScheduled = false;
                                flush();
                            });
        }
    }

    @Override
    public void processElement2(StreamRecord<ControlEvent> element) throws Exception {
        ControlEvent e = element.getValue();
        if (e.kind == ControlEvent.Kind.VERSION) {
            if (e.version <= current.version) {
                return; // a replayed or stale pointer
            }
            flush();
            switchTo(e);
            rebaseAll();
        } else if (e.version == current.version) {
            addItem(e);
        } else if (e.version > current.version) {
            futureItems.computeIfAbsent(e.version, v -> new ArrayList<>()).add(e);
        }
    }

    private void switchTo(ControlEvent version) {
        model = ModelSnapshots.load(version.location);
        table = ItemTable.of(version.version, model);
        current = version;
        currentItems = new ArrayList<>();
        List<ControlEvent> early = futureItems.remove(version.version);
        if (early != null) {
            early.forEach(this::addItem);
        }
        futureItems.keySet().removeIf(v -> v < version.version);
    }

    private void addItem(ControlEvent item) {
        table = table.withItem(item.item, item.point);
        currentItems.add(item);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void snapshotState(org.apache.flink.runtime.state.StateSnapshotContext context)
            throws Exception {
        super.snapshotState(context);
        List<ControlEvent> snapshot = new ArrayList<>();
        snapshot.add(current);
        snapshot.addAll(currentItems);
        controlState.update(snapshot);
    }

    @Override
    public void endInput(int inputId) throws Exception {
        if (inputId == 1) {
            flush();
        }
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        if (updater != null) {
            updater.close();
        }
        if (kernels != null) {
            kernels.close();
        }
        super.close();
    }

    /** Applies every buffered event. */
    void flush() throws Exception {
        if (pending == null || pending.isEmpty()) {
            return;
        }
        List<UserEvent> events = pending;
        pending = new ArrayList<>();
        batches.inc();
        // Round r holds each user's r-th event of the batch: one step per user per kernel call.
        Map<String, Integer> nextRound = new HashMap<>();
        List<List<UserEvent>> rounds = new ArrayList<>();
        for (UserEvent e : events) {
            int r = nextRound.merge(e.user, 1, Integer::sum) - 1;
            if (r == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(r).add(e);
        }
        Map<String, UserState> states = new LinkedHashMap<>();
        for (List<UserEvent> round : rounds) {
            List<OnlineUpdater.Step> steps = new ArrayList<>(round.size());
            List<UserEvent> stepped = new ArrayList<>(round.size());
            for (UserEvent e : round) {
                UserState st = states.get(e.user);
                if (st == null) {
                    setCurrentKey(e.user);
                    st = userState.value();
                    if (st == null) {
                        st = new UserState();
                        startFromModel(e.user, st);
                    } else if (st.version != current.version) {
                        rebase(e.user, st);
                    }
                    states.put(e.user, st);
                }
                setCurrentKey(e.user);
                userLog.add(new LoggedEvent(e.item, e.partition, e.offset, e.kafkaTime));
                OnlineUpdater.Step step = prepare(st, e.user, e.item, e.partition, e.offset);
                if (step != null) {
                    steps.add(step);
                    stepped.add(e);
                }
            }
            if (!steps.isEmpty()) {
                updater.apply(steps, table);
                for (UserEvent e : stepped) {
                    UserState st = states.get(e.user);
                    st.seq++;
                    emit(e.user, st, e.kafkaTime);
                }
            }
        }
        for (Map.Entry<String, UserState> en : states.entrySet()) {
            setCurrentKey(en.getKey());
            userState.update(en.getValue());
        }
    }

    /**
     * Records the event in the user's state and returns its step, or null when the item is not in
     * the live table (it will count once a version knows it, through the log).
     */
    private OnlineUpdater.Step prepare(
            UserState st, String user, String item, int partition, long offset) {
        st.events++;
        st.remember(item, RECENT);
        int positive = table.indexOf(item);
        if (positive < 0) {
            unknownItems.inc();
            return null;
        }
        int d = table.dim();
        if (st.point == null) {
            initialise(st);
        }
        if (st.momentum == null) {
            st.momentum = new float[d];
        }
        int[] negatives = new int[config.negatives()];
        long seed = OnlineUpdater.stepSeed(user, current.version, offset * 1024 + partition);
        // The recent items as rows of the live table, looked up once per step: the exclusion
        // test runs for every draw and must not compare id strings.
        int[] recentRows = new int[st.recent.length];
        int n = 0;
        for (String r : st.recent) {
            int row = table.indexOf(r);
            if (row >= 0) {
                recentRows[n++] = row;
            }
        }
        int count = n;
        OnlineUpdater.sampleNegatives(
                seed,
                table.size(),
                i -> {
                    for (int k = 0; k < count; k++) {
                        if (recentRows[k] == i) {
                            return true;
                        }
                    }
                    return false;
                },
                negatives);
        return new OnlineUpdater.Step(st.point, st.momentum, positive, negatives);
    }

    /** A user without a point starts at the tangent mean of the recent items the table knows. */
    private void initialise(UserState st) {
        int[] rows = new int[st.recent.length];
        int n = 0;
        for (String r : st.recent) {
            int i = table.indexOf(r);
            if (i >= 0) {
                rows[n++] = i;
            }
        }
        st.point = new float[table.dim()];
        OnlineUpdater.tangentMean(table, rows, n, st.point);
        st.momentum = new float[table.dim()];
    }

    /**
     * Puts a user at the live version's point for them, or at no point (the tangent mean of their
     * items, once they touch a known one) when the version was trained without them.
     */
    private void startFromModel(String user, UserState st) {
        int row = model.users().indexOf(user);
        int d = model.dim();
        if (row >= 0) {
            st.point = new float[d];
            System.arraycopy(model.userPoints(), row * d, st.point, 0, d);
            st.momentum = new float[d];
        } else {
            st.point = null;
            st.momentum = null;
        }
        st.version = current.version;
        st.seq = 0;
    }

    /** Moves a user's state to the live version (the key context must be the user). */
    private void rebase(String user, UserState st) throws Exception {
        rebased.inc();
        startFromModel(user, st);
        List<LoggedEvent> kept = new ArrayList<>();
        for (LoggedEvent e : userLog.get()) {
            if (current.afterSnapshot(e.partition, e.offset)) {
                kept.add(e);
            }
        }
        userLog.update(kept);
        if (kept.isEmpty()) {
            return;
        }
        long last = 0;
        for (LoggedEvent e : kept) {
            OnlineUpdater.Step step = prepare(st, user, e.item, e.partition, e.offset);
            if (step != null) {
                updater.apply(List.of(step), table);
                last = e.kafkaTime;
            }
        }
        if (st.point != null) {
            st.seq++;
            emit(user, st, last);
        }
    }

    /** Re-bases every user of this subtask onto the live version. */
    private void rebaseAll() throws Exception {
        getKeyedStateBackend()
                .applyToAllKeys(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>("user", TypeInformation.of(UserState.class)),
                        (Object key, ValueState<UserState> state) -> {
                            UserState st = state.value();
                            if (st != null && st.version != current.version) {
                                rebase((String) key, st);
                                state.update(st);
                            }
                        });
    }

    private void emit(String user, UserState st, long sourceTime) {
        updates.inc();
        output.collect(
                reuse.replace(
                        new UserUpdate(user, st.point.clone(), st.version, st.seq, sourceTime)));
    }

    /** The version the operator serves (for tests). */
    long currentVersion() {
        return current.version;
    }
}
