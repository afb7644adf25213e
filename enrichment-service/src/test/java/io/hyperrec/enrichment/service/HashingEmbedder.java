package io.hyperrec.enrichment.service;

import io.hyperrec.enrichment.EnrichmentException;
import io.hyperrec.enrichment.TextEmbedder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A test-only deterministic embedder: each lower-cased word adds ±1 to the bucket its hash picks,
 * then the vector is L2-normalised (a text without words gets the first unit vector). Records every
 * call's texts. A call with a text containing {@link #POISON} fails as a whole, as a real encoder
 * failing on one input would.
 */
final class HashingEmbedder implements TextEmbedder {
    static final String POISON = "EMBED-FAIL";
    static final int DIM = 8;
    static final String NAME = "test:hashing-8";

    private final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());

    @Override
    public List<float[]> embed(List<String> texts) {
        calls.add(List.copyOf(texts));
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            if (text.contains(POISON)) {
                throw new EnrichmentException("cannot embed a text containing " + POISON);
            }
            out.add(vector(text));
        }
        return out;
    }

    /** The vector of one text. */
    static float[] vector(String text) {
        float[] v = new float[DIM];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                int h = word.hashCode();
                v[Math.floorMod(h, DIM)] += (h & 0x100) == 0 ? 1 : -1;
            }
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            v[0] = 1;
            return v;
        }
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return v;
    }

    /** Every call's texts, in call order. */
    List<List<String>> calls() {
        return List.copyOf(calls);
    }

    @Override
    public int dim() {
        return DIM;
    }

    @Override
    public String name() {
        return NAME;
    }
}
