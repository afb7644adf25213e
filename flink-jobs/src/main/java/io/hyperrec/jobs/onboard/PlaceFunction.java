package io.hyperrec.jobs.onboard;

import io.hyperrec.core.coldstart.ColdStartFitter;
import io.hyperrec.core.coldstart.ColdStartModel;
import io.hyperrec.core.model.TrainedModel;
import io.hyperrec.jobs.online.ControlEvent;
import io.hyperrec.jobs.online.ModelSnapshots;
import io.hyperrec.jobs.retrain.RetrainOperator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places each enriched new item (keyed by item) in the live version's user–item space with that
 * version's {@link ColdStartModel}, and again in every later version that was trained without it:
 * the broadcast side carries the version pointers ({@code model.versions}); on a new version every
 * item held here that the version does not know is re-placed ({@code applyToKeyedState}), so an
 * onboarded item stays served across retrains until one trains on its interactions.
 *
 * <p>State: per item its latest enrichment and its last placement (version, seq); broadcast: the
 * current version pointer. An item that arrives before any version waits in state and is placed
 * when the first pointer comes. A version's models are loaded once per subtask from its snapshot.
 */
final class PlaceFunction
        extends KeyedBroadcastProcessFunction<String, EnrichedItem, ControlEvent, ItemPlaced> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PlaceFunction.class);
    private static final Long CURRENT = 0L;

    static final MapStateDescriptor<Long, ControlEvent> VERSION =
            new MapStateDescriptor<>("version", Types.LONG, TypeInformation.of(ControlEvent.class));
    static final ValueStateDescriptor<EnrichedItem> ENRICHED =
            new ValueStateDescriptor<>("enriched", TypeInformation.of(EnrichedItem.class));
    static final ValueStateDescriptor<long[]> PLACED =
            new ValueStateDescriptor<>("placed", TypeInformation.of(long[].class));

    private transient ValueState<EnrichedItem> enriched;
    private transient ValueState<long[]> placed;
    private transient long loadedVersion = -1;
    private transient TrainedModel model;
    private transient ColdStartModel cold;
    private transient Counter placements;

    @Override
    public void open(OpenContext openContext) {
        enriched = getRuntimeContext().getState(ENRICHED);
        placed = getRuntimeContext().getState(PLACED);
        placements = getRuntimeContext().getMetricGroup().counter("itemsPlaced");
    }

    @Override
    public void processElement(EnrichedItem e, ReadOnlyContext ctx, Collector<ItemPlaced> out)
            throws Exception {
        enriched.update(e);
        ControlEvent v = ctx.getBroadcastState(VERSION).get(CURRENT);
        if (v != null) {
            place(e, v, placed, out, true);
        }
    }

    @Override
    public void processBroadcastElement(ControlEvent v, Context ctx, Collector<ItemPlaced> out)
            throws Exception {
        if (v.kind != ControlEvent.Kind.VERSION) {
            return;
        }
        BroadcastState<Long, ControlEvent> state = ctx.getBroadcastState(VERSION);
        ControlEvent current = state.get(CURRENT);
        if (current != null && v.version <= current.version) {
            return; // a replayed or stale pointer
        }
        state.put(CURRENT, v);
        ctx.applyToKeyedState(
                ENRICHED,
                (item, s) -> {
                    EnrichedItem e = s.value();
                    if (e != null) {
                        // The keyed context is the item's while this runs, so its state is too.
                        ValueState<long[]> placedState = getRuntimeContext().getState(PLACED);
                        // An item that arrived before any version is onboarded now: its placement
                        // completes its onboarding and carries its source time. One placed before
                        // is re-placed in the new version, which is not an arrival.
                        place(e, v, placedState, out, placedState.value() == null);
                    }
                });
    }

    /**
     * Places {@code e} in version {@code v} unless the version was trained with it.
     *
     * @param onArrival the item's first placement (its onboarding latency is measured from it);
     *     false for a re-placement caused by a new version, which carries no source time
     */
    private void place(
            EnrichedItem e,
            ControlEvent v,
            ValueState<long[]> placedState,
            Collector<ItemPlaced> out,
            boolean onArrival)
            throws Exception {
        load(v);
        if (model.items().indexOf(e.item) >= 0) {
            return; // warm in this version: its trained point is served
        }
        float[] text = e.text;
        if (text != null
                && (cold.textDim() != text.length || !e.textEncoder.equals(cold.textEncoder()))) {
            text = null; // another encoder than the version's text map was fitted on
        }
        ColdStartModel.Placement p =
                cold.place(e.allTags(), text, ColdStartModel.Method.TAGS_AND_TEXT);
        long[] last = placedState.value();
        long seq = last != null && last[0] == v.version ? last[1] + 1 : 1;
        placedState.update(new long[] {v.version, seq});
        placements.inc();
        out.collect(
                new ItemPlaced(
                        e.item,
                        v.version,
                        seq,
                        p.point(),
                        p.method().name(),
                        onArrival ? e.kafkaTime : ItemPlaced.NO_SOURCE_TIME));
    }

    private void load(ControlEvent v) {
        if (v.version == loadedVersion) {
            return;
        }
        model = ModelSnapshots.load(v.location);
        Path coldDir = Path.of(v.location).resolve(RetrainOperator.COLD_START_DIR);
        if (ColdStartModel.existsIn(coldDir)) {
            cold = ColdStartModel.load(coldDir);
        } else {
            // A version published without one: place at the centroid of its items.
            LOG.warn(
                    "version {} has no cold-start model at {}; new items go to the centroid of its items",
                    v.version,
                    coldDir);
            int n = model.items().size();
            List<List<String>> noTags = new ArrayList<>();
            List<float[]> noText = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                noTags.add(List.of());
                noText.add(null);
            }
            cold =
                    ColdStartFitter.fit(
                            new ColdStartFitter.Inputs(
                                    model.dim(),
                                    model.itemPoints(),
                                    noTags,
                                    List.of(),
                                    new float[0],
                                    noText,
                                    null),
                            ColdStartFitter.Options.defaults());
        }
        loadedVersion = v.version;
        LOG.info(
                "placing new items in version {} (tags: {}, text: {} dims of {}, α {})",
                v.version,
                cold.hasTags(),
                cold.textDim(),
                cold.textEncoder(),
                cold.alpha());
    }
}
