package io.hyperrec.jobs.retrain;

import io.hyperrec.core.coldstart.ColdStartFitter;
import io.hyperrec.core.coldstart.ColdStartModel;
import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.InteractionLog;
import io.hyperrec.core.data.TagGraph;
import io.hyperrec.core.data.TagGraphBuilder;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.model.TrainedModel;
import io.hyperrec.core.train.CheckpointStore;
import io.hyperrec.core.train.EpochResult;
import io.hyperrec.core.train.Retrainer;
import io.hyperrec.core.train.TrainConfig;
import io.hyperrec.core.train.TrainListener;
import io.hyperrec.core.train.Variant;
import io.hyperrec.jobs.online.InteractionValidator;
import io.hyperrec.jobs.online.KafkaRecord;
import io.hyperrec.jobs.online.TaskGpus;
import io.hyperrec.schemas.Topics;
import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.ItemEnriched;
import io.hyperrec.schemas.avro.TagEdge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the bounded {@code interactions} read (parallelism 1), then trains, gates and writes the
 * version's snapshot when the input ends. Unreadable records are skipped and counted here — the
 * update job already dead-letters them, once.
 *
 * <p>Training runs inside {@link #endInput}: the job is bounded and has nothing else to do, and its
 * progress is checkpointed by the trainer itself (every few epochs, to the {@link
 * CheckpointStoreFactory}'s store), which is what lets a crashed retrain resume — Flink's own
 * checkpoints would only cover the read.
 */
public final class RetrainOperator extends AbstractStreamOperator<RetrainResult>
        implements OneInputStreamOperator<KafkaRecord, RetrainResult>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RetrainOperator.class);

    private final RetrainJob.Settings settings;
    private final long version;
    private final String liveLocation;
    private final HashMap<Integer, Long> liveSnapshot;

    private transient InteractionLog log;
    private transient Map<Integer, Long> nextOffsets;
    private transient long skipped;
    private transient Map<String, Long> itemCounts;
    private transient Map<String, ItemEnriched> enrichments;
    private transient Map<Integer, Long> enrichedOffsets;
    private transient long enrichmentsSkipped;

    /**
     * @param version the version number to train
     * @param liveLocation the live version's snapshot directory, or null for the first version
     * @param liveSnapshot the offsets the live version was trained up to (per partition, the first
     *     offset it did not read); interactions at or after them are new to it
     */
    public RetrainOperator(
            RetrainJob.Settings settings,
            long version,
            String liveLocation,
            Map<Integer, Long> liveSnapshot) {
        this.settings = settings;
        this.version = version;
        this.liveLocation = liveLocation;
        this.liveSnapshot = new HashMap<>(liveSnapshot);
    }

    @Override
    public void open() throws Exception {
        super.open();
        log = new InteractionLog();
        nextOffsets = new HashMap<>();
        itemCounts = new HashMap<>();
        enrichments = new HashMap<>();
        enrichedOffsets = new HashMap<>();
    }

    @Override
    public void processElement(StreamRecord<KafkaRecord> element) {
        KafkaRecord r = element.getValue();
        if (Topics.ITEMS_ENRICHED.equals(r.topic)) {
            addEnrichment(r);
            return;
        }
        nextOffsets.merge(r.partition, r.offset + 1, Math::max);
        if (r.value == null) {
            skipped++;
            return;
        }
        try {
            Interaction in = settings.decoder().decode(r.value);
            if (InteractionValidator.check(in) != null) {
                skipped++;
                return;
            }
            boolean fresh = r.offset >= liveSnapshot.getOrDefault(r.partition, 0L);
            log.add(in.getUser(), in.getItem(), in.getEventTime().toEpochMilli(), fresh);
            itemCounts.merge(in.getItem(), 1L, Long::sum);
        } catch (Exception e) {
            skipped++;
        }
    }

    /** The latest enrichment of each item (the topic is compacted and keyed by item). */
    private void addEnrichment(KafkaRecord r) {
        enrichedOffsets.merge(r.partition, r.offset + 1, Math::max);
        if (r.value == null || settings.enriched() == null) {
            return;
        }
        try {
            ItemEnriched e = settings.enriched().decode(r.value);
            enrichments.put(e.getItem(), e);
        } catch (Exception ex) {
            enrichmentsSkipped++;
        }
    }

    @Override
    public void endInput() throws Exception {
        RetrainResult out = new RetrainResult();
        out.version = version;
        out.snapshotOffsets = nextOffsets;
        out.interactions = log.size();
        out.skipped = skipped;
        if (log.size() == 0) {
            out.accepted = false;
            out.reason = "no interactions to train on";
            output.collect(new StreamRecord<>(out));
            return;
        }
        Dataset ds = log.toDataset("v" + version, settings.split(), settings.splitSeed());
        TrainConfig cfg = settings.train();
        TagGraph tags = tagGraph(ds);
        boolean[] tagsHidden = null;
        if (cfg.variant().usesTags()) {
            if (tags.numTags() > 0) {
                // A seeded share of items trains without its tags, so that the cold-start fit can
                // check tag placement on items the tag view never saw (see ColdStartFitter).
                tagsHidden = ColdStartFitter.checkItems(tags, COLD_START_FIT);
                ds = ds.withTags(tags.withoutItemEdges(tagsHidden));
            } else {
                // Nothing tagged yet (no items.enriched): the user–item view alone.
                LOG.warn(
                        "retrain of version {}: variant {} needs tags but no item is enriched;"
                                + " training {} instead",
                        version,
                        cfg.variant(),
                        Variant.BASE);
                cfg = cfg.toBuilder().variant(Variant.BASE).build();
            }
        }
        LOG.info(
                "retrain of version {}: {}; {} enriched items ({} unreadable)",
                version,
                ds,
                enrichments.size(),
                enrichmentsSkipped);
        TrainedModel live = liveLocation == null ? null : TrainedModel.load(Path.of(liveLocation));
        long t0 = System.nanoTime();
        try (Kernels kernels =
                settings.kernels()
                        .create(
                                TaskGpus.indexes(
                                        getRuntimeContext()
                                                .getExternalResourceInfos(TaskGpus.RESOURCE)),
                                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask())) {
            // Keyed by version AND data: a crashed attempt resumes on the same snapshot, but a
            // later attempt at the same version number (after a rejection, on more data) starts
            // afresh instead of restoring a run over other interactions.
            CheckpointStore store = settings.checkpoints().open(runId());
            try {
                Retrainer.Outcome o =
                        new Retrainer(kernels)
                                .run(
                                        ds,
                                        cfg,
                                        null,
                                        null,
                                        store,
                                        new LoggingListener(version),
                                        live,
                                        live == null ? null : log.freshPairs(ds, ds.valid()),
                                        settings.tolerance());
                out.trainSeconds = (System.nanoTime() - t0) / 1e9;
                itemCounts.entrySet().stream()
                        .sorted(
                                Map.Entry.<String, Long>comparingByValue()
                                        .reversed()
                                        .thenComparing(Map.Entry.comparingByKey()))
                        .limit(POPULAR)
                        .forEach(e -> out.popular.put(e.getKey(), e.getValue()));
                out.accepted = o.accepted();
                out.reason = o.reason();
                out.metrics.put("valid_recall@20", o.newValidation().recall20());
                out.metrics.put("valid_ndcg@20", o.newValidation().ndcg20());
                out.metrics.put("test_recall@20", o.result().test().recall20());
                out.metrics.put("test_ndcg@20", o.result().test().ndcg20());
                out.metrics.put("best_epoch", (double) o.result().bestEpoch());
                if (o.liveGate() != null) {
                    out.metrics.put("gate_new_recall@20", o.newGate().recall20());
                    out.metrics.put("gate_live_recall@20", o.liveGate().recall20());
                    out.metrics.put("gate_users", (double) o.newGate().users());
                }
                // Written aside and renamed: a reader never sees half a snapshot, and a rerun of
                // the same version (after a crash between snapshot and publish) replaces it.
                Path dir = Path.of(settings.modelsDir()).resolve("v" + version);
                Path tmp = Path.of(settings.modelsDir()).resolve(".v" + version + ".tmp");
                deleteTree(tmp);
                o.model().save(tmp);
                ColdStartModel cold = fitColdStart(o, ds, tags, tagsHidden);
                cold.save(tmp.resolve(COLD_START_DIR));
                cold.report().forEach((k, v) -> out.metrics.put("coldstart_" + k, v));
                out.metrics.put("variant_tags", cfg.variant().usesTags() ? 1.0 : 0.0);
                deleteTree(dir);
                Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                out.location = dir.toString();
            } finally {
                if (store instanceof AutoCloseable c) {
                    c.close();
                }
            }
        }
        log = null;
        LOG.info("retrain finished: {}", out);
        output.collect(new StreamRecord<>(out));
    }

    /** The sub-directory of a version's snapshot that holds its cold-start model. */
    public static final String COLD_START_DIR = "coldstart"; // = ModelStore.COLD_START_DIR

    /** The tag graph of the enriched items of {@code ds} (empty when none is enriched). */
    private TagGraph tagGraph(Dataset ds) {
        TagGraphBuilder b = new TagGraphBuilder();
        for (ItemEnriched e : enrichments.values()) {
            int item = ds.items().indexOf(e.getItem());
            if (item < 0) {
                continue;
            }
            List<String[]> edges = new ArrayList<>();
            for (TagEdge edge : e.getEdges()) {
                edges.add(new String[] {edge.getParent(), edge.getChild()});
            }
            b.add(item, e.getTagLevels(), edges);
        }
        return b.build(ds.items().size());
    }

    /** Fits the cold-start model on the new version's warm items (their tags and text). */
    private ColdStartModel fitColdStart(
            Retrainer.Outcome o, Dataset ds, TagGraph tags, boolean[] tagsHidden) {
        Map<String, Long> encoders = new HashMap<>();
        enrichments.values().forEach(e -> encoders.merge(e.getTextEncoder(), 1L, Long::sum));
        String encoder =
                encoders.entrySet().stream()
                        .max(Map.Entry.comparingByValue())
                        .map(Map.Entry::getKey)
                        .orElse(null);
        Map<String, float[]> text = new HashMap<>();
        for (ItemEnriched e : enrichments.values()) {
            if (e.getTextEncoder().equals(encoder) && !e.getTextEmbedding().isEmpty()) {
                float[] v = new float[e.getTextEmbedding().size()];
                for (int j = 0; j < v.length; j++) {
                    v[j] = e.getTextEmbedding().get(j);
                }
                text.put(e.getItem(), v);
            }
        }
        return ColdStartFitter.fit(
                ColdStartFitter.inputs(
                        o.model(),
                        ds.tags().isPresent() ? o.result().tagEmbeddings() : null,
                        tags,
                        tagsHidden,
                        text,
                        encoder),
                COLD_START_FIT);
    }

    /** The cold-start fit's options: the share of items kept out of the tag view, its seed. */
    private static final ColdStartFitter.Options COLD_START_FIT =
            ColdStartFitter.Options.defaults();

    /** How many of the most interacted-with items a result carries (the serving fallback). */
    static final int POPULAR = 200;

    /** The checkpoint run of this version on this snapshot. */
    private String runId() {
        StringBuilder b = new StringBuilder("v").append(version);
        new java.util.TreeMap<>(nextOffsets)
                .forEach((p, o) -> b.append('-').append(p).append('_').append(o));
        // The enrichments shape the tag graph, so they key the run too.
        new java.util.TreeMap<>(enrichedOffsets)
                .forEach((p, o) -> b.append("-e").append(p).append('_').append(o));
        return b.toString();
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    /** One log line per epoch, with the rate and a bound on the time left. */
    private static final class LoggingListener implements TrainListener {
        private final long version;
        private int maxEpochs;
        private final long start = System.nanoTime();
        private int first;

        LoggingListener(long version) {
            this.version = version;
        }

        @Override
        public void started(int firstEpoch, int maxEpochs, int stepsPerEpoch) {
            this.first = firstEpoch;
            this.maxEpochs = maxEpochs;
            LOG.info(
                    "retrain v{}: epochs {}..{} of {} steps",
                    version,
                    firstEpoch,
                    maxEpochs,
                    stepsPerEpoch);
        }

        @Override
        public void epochDone(EpochResult r, int bestEpoch, int sinceBest) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            double perEpoch = elapsed / Math.max(1, r.epoch() - first + 1);
            LOG.info(
                    "retrain v{}: epoch {}/{} loss {} val R@20 {} best {} ({} s/epoch, ETA <= {} s)",
                    version,
                    r.epoch(),
                    maxEpochs,
                    String.format("%.2f", r.loss()),
                    String.format("%.4f", r.validation().recall20()),
                    bestEpoch,
                    String.format("%.2f", perEpoch),
                    Math.round(perEpoch * (maxEpochs - r.epoch())));
        }
    }
}
