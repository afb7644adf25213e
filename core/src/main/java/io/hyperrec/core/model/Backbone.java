package io.hyperrec.core.model;

import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.kernel.Mat;
import io.hyperrec.core.kernel.SparseMat;
import io.hyperrec.core.kernel.Triples;

/**
 * A hyperbolic graph backbone: encodes tangent-space node inputs over one graph view into points on
 * the manifold, scores training triples and back-propagates. A new backbone (HRCF, HICF, …) is one
 * class implementing this interface; the trainer never depends on a concrete backbone.
 */
public interface Backbone extends java.io.Serializable {

    /** The backbone's name as used on the command line (e.g. {@code hgcf}). */
    String name();

    /**
     * An encoder for one graph view. It allocates its working buffers once, on the given kernels.
     *
     * @param adjacency the normalised propagation matrix of the view (n×n)
     * @param dim the ambient dimension of every row
     */
    Encoder encoder(Kernels kernels, SparseMat adjacency, int dim);

    /** Forward, loss and backward over one graph view; not thread-safe. */
    interface Encoder {
        /**
         * Encodes tangent inputs (n×dim) into manifold points.
         *
         * @return the output points; owned by the encoder and overwritten by the next call
         */
        Mat encode(Mat tangent);

        /**
         * The training loss of the triples over the last encoded output; adds its gradient with
         * respect to that output to {@code gradOut}.
         */
        double loss(Triples triples, float margin, Mat gradOut);

        /**
         * Back-propagates a gradient with respect to the last encoded output into the tangent
         * inputs: {@code gradTangent += Jᵀ·gradOut}. {@code gradOut} may be clobbered.
         */
        void backward(Mat gradOut, Mat gradTangent);
    }
}
