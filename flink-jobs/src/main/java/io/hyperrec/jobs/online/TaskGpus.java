package io.hyperrec.jobs.online;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;

/**
 * The GPUs of a TaskManager as Flink's external-resource framework reports them: the {@code index}
 * property of every {@code gpu} resource (deploy/gpu/flink-conf-gpu.yaml). Flink's GPU driver takes
 * the indexes from {@code nvidia-smi}, which numbers GPUs in PCI bus order; CUDA numbers them the
 * same way only with {@code CUDA_DEVICE_ORDER=PCI_BUS_ID}, which the GPU TaskManager's environment
 * sets.
 */
public final class TaskGpus {
    /** The external resource name of GPUs in the Flink configuration. */
    public static final String RESOURCE = "gpu";

    private TaskGpus() {}

    /**
     * The GPU indexes in ascending order.
     *
     * @param infos what {@code RuntimeContext#getExternalResourceInfos("gpu")} returned
     * @throws IllegalStateException naming the value when an index is not a number
     */
    public static List<Integer> indexes(Collection<ExternalResourceInfo> infos) {
        List<Integer> out = new ArrayList<>();
        for (ExternalResourceInfo info : infos) {
            Optional<String> index = info.getProperty("index");
            if (index.isEmpty()) {
                continue;
            }
            try {
                out.add(Integer.parseInt(index.get().strip()));
            } catch (NumberFormatException e) {
                throw new IllegalStateException(
                        "the TaskManager's GPU resource has index '"
                                + index.get()
                                + "', expected a number (is external-resource.gpu's discovery"
                                + " script the NVIDIA one?)",
                        e);
            }
        }
        out.sort(null);
        return out;
    }
}
