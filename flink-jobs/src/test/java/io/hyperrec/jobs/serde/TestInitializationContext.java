package io.hyperrec.jobs.serde;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;

/** What a Kafka source or sink passes to {@code open}: a metric group and the user class loader. */
final class TestInitializationContext
        implements SerializationSchema.InitializationContext,
                DeserializationSchema.InitializationContext {
    static final TestInitializationContext INSTANCE = new TestInitializationContext();

    @Override
    public MetricGroup getMetricGroup() {
        return new UnregisteredMetricsGroup();
    }

    @Override
    public UserCodeClassLoader getUserCodeClassLoader() {
        return SimpleUserCodeClassLoader.create(TestInitializationContext.class.getClassLoader());
    }
}
