package io.hyperrec.gpu;

/** The kernels of {@code hyperrec_kernels.cu}, by their {@code extern "C"} names. */
enum Fn {
    ADD("hr_add"),
    FLIP_SPACE("hr_flip_space"),
    SCALE_ROWS("hr_scale_rows"),
    SPMM("hr_spmm"),
    LOGMAP0("hr_logmap0"),
    LOGMAP0_BACKWARD("hr_logmap0_backward"),
    EXPMAP0("hr_expmap0"),
    EXPMAP0_BACKWARD("hr_expmap0_backward"),
    RSGD("hr_rsgd"),
    MARGIN("hr_margin"),
    MARGIN_GATHER("hr_margin_gather"),
    CONTRASTIVE_ROWS("hr_contrastive_rows"),
    CONTRASTIVE_FINISH("hr_contrastive_finish"),
    MASK("hr_mask"),
    TOPK("hr_topk");

    /** The symbol in the compiled module. */
    final String symbol;

    Fn(String symbol) {
        this.symbol = symbol;
    }
}
