package io.hyperrec.app.runtime;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.SecurityOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink {@link MiniCluster} in this JVM: one TaskManager with N slots, the RocksDB state backend
 * (incremental checkpoints to the local file system, retained on cancellation), and environments
 * whose {@code execute}/{@code executeAsync} submit to it. It serves the embedded runtime ({@code
 * hyperrec demo}) and the integration tests.
 *
 * <p><b>Configuration.</b> Flink 2.x has no {@code env.setStateBackend}; everything goes through
 * {@link Configuration}: {@code state.backend.type: rocksdb}, {@code execution.checkpointing.dir}
 * ({@code file://<workDir>/checkpoints}), {@code execution.checkpointing.incremental: true}, the
 * interval, and {@code execution.checkpointing.externalized-checkpoint-retention:
 * RETAIN_ON_CANCELLATION}. The same configuration is the cluster's and every job's, so a job built
 * from {@link #createEnvironment()} needs no state or checkpoint setup of its own. RocksDB keeps
 * its default of bounding block cache and write buffers by the slot's share of managed memory
 * ({@link EmbeddedFlinkOptions#managedMemoryMb()}); flush/compaction and checkpoint transfer get
 * one thread each, as the target machine has 2 cores.
 *
 * <p><b>Fault handling.</b> A job is submitted ({@link #submit}), watched ({@link #jobStatus},
 * {@link #awaitAllTasksRunning}, {@link #awaitNextCompletedCheckpoint}), cancelled ({@link
 * #cancel}) or stopped with a savepoint ({@link #stopWithSavepoint}), and resubmitted from its last
 * retained checkpoint ({@link #latestRetainedCheckpoint}) or a savepoint through {@link
 * #restoreEnvironment}, which sets {@code execution.state-recovery.path}. Retained checkpoints live
 * under {@code <workDir>/checkpoints/<job id>/chk-<n>}, savepoints under {@code
 * <workDir>/savepoints}.
 *
 * <p><b>Order.</b> Close Flink before the Kafka broker its jobs read, or their clients log
 * connection errors until they stop. Thread-safe after {@link #start}; {@link #close} is idempotent
 * and leaves retained checkpoints of a persistent work directory in place.
 */
public final class EmbeddedFlink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedFlink.class);

    /** {@code execution.target} of environments bound to this MiniCluster. */
    static final String EXECUTION_TARGET = "hyperrec-embedded-minicluster";

    private static final Duration RPC_TIMEOUT = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 50;
    private static final Pattern CHECKPOINT_DIR = Pattern.compile("chk-(\\d+)");

    /**
     * A completed checkpoint.
     *
     * @param id checkpoint id, increasing per job (continuing from the restored one)
     * @param externalPath its location ({@code file:/.../chk-<id>}), usable as {@code
     *     execution.state-recovery.path}
     */
    public record CompletedCheckpoint(long id, String externalPath) {}

    private final EmbeddedFlinkOptions options;
    private final MiniCluster miniCluster;
    private final Configuration configuration;
    private final Path workDir;
    private final boolean temporary;
    private final URI restAddress;
    private final Duration startupTime;
    private final PipelineExecutorServiceLoader executors;
    private boolean closed;

    private EmbeddedFlink(
            EmbeddedFlinkOptions options,
            MiniCluster miniCluster,
            Configuration configuration,
            Path workDir,
            boolean temporary,
            URI restAddress,
            Duration startupTime) {
        this.options = options;
        this.miniCluster = miniCluster;
        this.configuration = configuration;
        this.workDir = workDir;
        this.temporary = temporary;
        this.restAddress = restAddress;
        this.startupTime = startupTime;
        this.executors = new MiniClusterExecutors(miniCluster);
    }

    /**
     * Starts the MiniCluster.
     *
     * @param options cluster options, never null
     * @return the running cluster
     * @throws EmbeddedRuntimeException when the work directory cannot be prepared or the cluster
     *     does not start
     */
    public static EmbeddedFlink start(EmbeddedFlinkOptions options) {
        RuntimeLogging.quietByDefault();
        long t0 = System.nanoTime();
        boolean temporary = options.workDir().isEmpty();
        Path dir;
        try {
            dir =
                    temporary
                            ? Files.createTempDirectory("hyperrec-flink-")
                            : Files.createDirectories(options.workDir().get());
            Files.createDirectories(dir.resolve("tmp"));
        } catch (IOException e) {
            throw new EmbeddedRuntimeException(
                    "Flink: cannot create work directory " + options.workDir().orElse(null), e);
        }
        Configuration cfg = configuration(options, dir);
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(cfg)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(options.taskSlots())
                                .build());
        URI rest;
        try {
            cluster.start();
            rest = get(cluster.getRestAddress(), "REST address");
        } catch (Exception e) {
            try {
                cluster.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            if (temporary) {
                FileUtils.deleteDirectoryQuietly(dir.toFile());
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new EmbeddedRuntimeException(
                    "Flink: MiniCluster failed to start in " + dir + " (" + options + ")", e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        LOG.info(
                "Flink MiniCluster up in {} ms: {} slots, RocksDB state, checkpoints every {} ms to {}, REST {}",
                took.toMillis(),
                options.taskSlots(),
                options.checkpointInterval().toMillis(),
                dir.resolve("checkpoints"),
                rest);
        return new EmbeddedFlink(options, cluster, cfg, dir, temporary, rest, took);
    }

    /**
     * The cluster and job configuration for the given options and work directory: embedded
     * defaults, then {@link EmbeddedFlinkOptions#flinkConfig()} on top.
     */
    static Configuration configuration(EmbeddedFlinkOptions o, Path dir) {
        Configuration c = new Configuration();
        c.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        c.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                dir.resolve("checkpoints").toUri().toString());
        c.set(
                CheckpointingOptions.SAVEPOINT_DIRECTORY,
                dir.resolve("savepoints").toUri().toString());
        c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, o.checkpointInterval());
        c.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        // RocksDB: memory bounded by the slot's managed memory (Flink's default, stated here),
        // one background flush/compaction thread and one transfer thread (2-core machines).
        c.set(RocksDBOptions.USE_MANAGED_MEMORY, true);
        c.set(RocksDBOptions.LOCAL_DIRECTORIES, dir.resolve("rocksdb").toString());
        c.set(RocksDBOptions.CHECKPOINT_TRANSFER_THREAD_NUM, 1);
        c.set(RocksDBConfigurableOptions.MAX_BACKGROUND_THREADS, 1);
        c.set(TaskManagerOptions.NUM_TASK_SLOTS, o.taskSlots());
        c.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(o.managedMemoryMb()));
        c.set(CoreOptions.DEFAULT_PARALLELISM, o.taskSlots());
        c.set(CoreOptions.TMP_DIRS, dir.resolve("tmp").toString());
        c.set(RestOptions.ADDRESS, "localhost");
        c.set(RestOptions.BIND_ADDRESS, "localhost");
        c.set(RestOptions.BIND_PORT, Integer.toString(o.restPort()));
        // No Kerberos or Hadoop here: nothing to obtain, and the manager warns on every job.
        c.set(SecurityOptions.DELEGATION_TOKENS_ENABLED, false);
        c.addAll(Configuration.fromMap(o.flinkConfig()));
        return c;
    }

    /**
     * A new environment whose {@code execute}/{@code executeAsync} submit to this MiniCluster,
     * configured like the cluster (state backend, checkpointing, parallelism).
     *
     * @return a fresh environment
     */
    public StreamExecutionEnvironment createEnvironment() {
        return createEnvironment(new Configuration());
    }

    /**
     * A new environment bound to this MiniCluster, with job-level settings on top of the cluster's.
     *
     * @param jobConfig job configuration overriding the cluster's, never null
     * @return a fresh environment
     */
    public StreamExecutionEnvironment createEnvironment(Configuration jobConfig) {
        Configuration c = new Configuration(configuration);
        c.addAll(jobConfig);
        c.set(DeploymentOptions.TARGET, EXECUTION_TARGET);
        return new StreamExecutionEnvironment(executors, c, EmbeddedFlink.class.getClassLoader());
    }

    /**
     * A new environment bound to this MiniCluster whose job restores its state from a retained
     * checkpoint or savepoint ({@code execution.state-recovery.path}). Operators are matched by
     * {@code uid}; state of an operator missing from the new job fails the restore.
     *
     * @param checkpointPath a checkpoint or savepoint location, e.g. from {@link
     *     #latestRetainedCheckpoint}
     * @return a fresh environment
     */
    public StreamExecutionEnvironment restoreEnvironment(String checkpointPath) {
        if (checkpointPath == null || checkpointPath.isBlank()) {
            throw new IllegalArgumentException(
                    "checkpoint path to restore from must not be blank, got " + checkpointPath);
        }
        Configuration job = new Configuration();
        job.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpointPath);
        return createEnvironment(job);
    }

    /**
     * Submits the job built on {@code env} and returns once the cluster accepted it (it is then
     * initializing or running, not necessarily processing).
     *
     * @param env an environment from {@link #createEnvironment} or {@link #restoreEnvironment}
     * @param jobName the job's name
     * @return the job's id
     * @throws IllegalArgumentException when {@code env} is not bound to this cluster
     * @throws EmbeddedRuntimeException when submission fails
     */
    public JobID submit(StreamExecutionEnvironment env, String jobName) {
        if (!EXECUTION_TARGET.equals(env.getConfiguration().get(DeploymentOptions.TARGET))) {
            throw new IllegalArgumentException(
                    "environment is not bound to the embedded MiniCluster (execution.target="
                            + env.getConfiguration().get(DeploymentOptions.TARGET)
                            + "); create it with EmbeddedFlink#createEnvironment");
        }
        try {
            JobClient client = env.executeAsync(jobName);
            LOG.info("Flink: submitted job '{}' as {}", jobName, client.getJobID());
            return client.getJobID();
        } catch (Exception e) {
            throw new EmbeddedRuntimeException("Flink: cannot submit job '" + jobName + "'", e);
        }
    }

    /**
     * @param job a job id
     * @return the job's current status
     */
    public JobStatus jobStatus(JobID job) {
        return get(miniCluster.getJobStatus(job), "status of job " + job);
    }

    /**
     * Waits until every task of the job is running (sources included), which is when checkpoints
     * can start.
     *
     * @param job a job id
     * @param timeout how long to wait
     * @throws EmbeddedRuntimeException on timeout, or when the job terminates first
     */
    public void awaitAllTasksRunning(JobID job, Duration timeout) {
        long deadline = deadline(timeout);
        while (true) {
            AccessExecutionGraph g = graph(job);
            failIfTerminated(g, "all tasks to run");
            boolean running = g.getState() == JobStatus.RUNNING;
            for (AccessExecutionVertex v : g.getAllExecutionVertices()) {
                running &= v.getExecutionState() == ExecutionState.RUNNING;
            }
            if (running) {
                return;
            }
            pause(deadline, job, "all tasks to run (job " + g.getState() + ")", timeout);
        }
    }

    /**
     * Waits for a checkpoint that is triggered after this call and completes: its state covers
     * every record the job had processed when this method was called.
     *
     * @param job a job id
     * @param timeout how long to wait
     * @return the completed checkpoint
     * @throws EmbeddedRuntimeException on timeout, or when the job terminates first
     */
    public CompletedCheckpoint awaitNextCompletedCheckpoint(JobID job, Duration timeout) {
        long deadline = deadline(timeout);
        // Ids are assigned at trigger time and registered in the stats before any barrier is
        // injected, so an id above every id known now belongs to a checkpoint triggered later.
        long floor = highestKnownCheckpointId(graph(job).getCheckpointStatsSnapshot());
        while (true) {
            AccessExecutionGraph g = graph(job);
            failIfTerminated(g, "a checkpoint after " + floor);
            CheckpointStatsSnapshot stats = g.getCheckpointStatsSnapshot();
            CompletedCheckpointStats latest =
                    stats == null ? null : stats.getHistory().getLatestCompletedCheckpoint();
            if (latest != null && latest.getCheckpointId() > floor) {
                return new CompletedCheckpoint(latest.getCheckpointId(), latest.getExternalPath());
            }
            pause(deadline, job, "a checkpoint after checkpoint " + floor, timeout);
        }
    }

    /**
     * Triggers a checkpoint now and waits for it to complete.
     *
     * @param job a running job
     * @return the checkpoint's location
     * @throws EmbeddedRuntimeException when the checkpoint fails
     */
    public String triggerCheckpoint(JobID job) {
        return get(miniCluster.triggerCheckpoint(job), "checkpoint of job " + job);
    }

    /**
     * Takes a savepoint (canonical format, portable across state backends) of a running job into
     * {@code <workDir>/savepoints}; the job keeps running.
     *
     * @param job a running job
     * @return the savepoint's location, usable as {@code execution.state-recovery.path}
     * @throws EmbeddedRuntimeException when the savepoint fails
     */
    public String triggerSavepoint(JobID job) {
        return get(
                miniCluster.triggerSavepoint(
                        job, savepointDirectory(), false, SavepointFormatType.CANONICAL),
                "savepoint of job " + job);
    }

    /**
     * Stops a job gracefully with a final savepoint (canonical format) into {@code
     * <workDir>/savepoints} and waits until it has finished.
     *
     * @param job a running job
     * @param timeout how long to wait for the job to finish after the savepoint
     * @return the savepoint's location, usable as {@code execution.state-recovery.path}
     * @throws EmbeddedRuntimeException when the savepoint fails or the job does not finish
     */
    public String stopWithSavepoint(JobID job, Duration timeout) {
        String path =
                get(
                        miniCluster.stopWithSavepoint(
                                job, savepointDirectory(), false, SavepointFormatType.CANONICAL),
                        "stop-with-savepoint of job " + job);
        JobStatus end = awaitTermination(job, timeout);
        if (end != JobStatus.FINISHED) {
            throw new EmbeddedRuntimeException(
                    "Flink: job " + job + " ended " + end + " after its savepoint " + path);
        }
        LOG.info("Flink: stopped job {} with savepoint {}", job, path);
        return path;
    }

    /**
     * The newest complete checkpoint of a job on disk ({@code chk-<n>} with a {@code _metadata}
     * file), whether the job is running, cancelled, failed, or was run by an earlier process on the
     * same work directory.
     *
     * @param job a job id
     * @return its location, usable as {@code execution.state-recovery.path}; empty if none
     */
    public Optional<String> latestRetainedCheckpoint(JobID job) {
        Path jobDir = checkpointDirectory().resolve(job.toHexString());
        if (!Files.isDirectory(jobDir)) {
            return Optional.empty();
        }
        long best = -1;
        try (Stream<Path> children = Files.list(jobDir)) {
            for (Path p : (Iterable<Path>) children::iterator) {
                Matcher m = CHECKPOINT_DIR.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p.resolve("_metadata"))) {
                    best = Math.max(best, Long.parseLong(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw new EmbeddedRuntimeException("Flink: cannot list checkpoints in " + jobDir, e);
        }
        return best < 0
                ? Optional.empty()
                : Optional.of(jobDir.resolve("chk-" + best).toUri().toString());
    }

    /**
     * @param job a job id
     * @return the id of the checkpoint the job restored its state from, if it did
     */
    public OptionalLong restoredCheckpointId(JobID job) {
        CheckpointStatsSnapshot stats = graph(job).getCheckpointStatsSnapshot();
        RestoredCheckpointStats restored =
                stats == null ? null : stats.getLatestRestoredCheckpoint();
        return restored == null
                ? OptionalLong.empty()
                : OptionalLong.of(restored.getCheckpointId());
    }

    /**
     * Cancels a job and waits until it is cancelled. Its checkpoints are retained.
     *
     * @param job a job id
     * @param timeout how long to wait for the cancellation to finish
     * @throws EmbeddedRuntimeException on timeout, or when the job ends in another state
     */
    public void cancel(JobID job, Duration timeout) {
        get(miniCluster.cancelJob(job), "cancellation of job " + job);
        JobStatus end = awaitTermination(job, timeout);
        if (end != JobStatus.CANCELED) {
            throw new EmbeddedRuntimeException(
                    "Flink: job " + job + " ended " + end + " instead of CANCELED");
        }
        LOG.info("Flink: cancelled job {}", job);
    }

    /**
     * Waits until a job reaches a globally terminal state (finished, cancelled or failed).
     *
     * @param job a job id
     * @param timeout how long to wait
     * @return the terminal state
     * @throws EmbeddedRuntimeException on timeout
     */
    public JobStatus awaitTermination(JobID job, Duration timeout) {
        long deadline = deadline(timeout);
        while (true) {
            JobStatus s = jobStatus(job);
            if (s.isGloballyTerminalState()) {
                return s;
            }
            pause(deadline, job, "termination (job " + s + ")", timeout);
        }
    }

    /**
     * @return the base directory of checkpoints ({@code <workDir>/checkpoints})
     */
    public Path checkpointDirectory() {
        return workDir.resolve("checkpoints");
    }

    private String savepointDirectory() {
        return workDir.resolve("savepoints").toUri().toString();
    }

    /**
     * @return the work directory (absolute); deleted on close when temporary
     */
    public Path workDir() {
        return workDir;
    }

    /**
     * @return the REST API's address
     */
    public URI restAddress() {
        return restAddress;
    }

    /**
     * @return the wall-clock time {@link #start} took
     */
    public Duration startupTime() {
        return startupTime;
    }

    /**
     * @return a copy of the cluster and job configuration
     */
    public Configuration configuration() {
        return new Configuration(configuration);
    }

    /**
     * @return the options the cluster was started with
     */
    public EmbeddedFlinkOptions options() {
        return options;
    }

    /**
     * Shuts the MiniCluster down; running jobs are suspended (their retained checkpoints stay).
     * Deletes the work directory when it is temporary. Idempotent.
     *
     * @throws EmbeddedRuntimeException when shutdown fails
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        try {
            miniCluster.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new EmbeddedRuntimeException("Flink: MiniCluster failed to shut down", e);
        } finally {
            if (temporary) {
                FileUtils.deleteDirectoryQuietly(workDir.toFile());
            }
        }
        LOG.info(
                "Flink MiniCluster stopped in {} ms",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private AccessExecutionGraph graph(JobID job) {
        return get(miniCluster.getExecutionGraph(job), "execution graph of job " + job);
    }

    private static long highestKnownCheckpointId(CheckpointStatsSnapshot stats) {
        long max = -1;
        if (stats == null) {
            return max;
        }
        for (AbstractCheckpointStats c : stats.getHistory().getCheckpoints()) {
            max = Math.max(max, c.getCheckpointId());
        }
        CompletedCheckpointStats completed = stats.getHistory().getLatestCompletedCheckpoint();
        if (completed != null) {
            max = Math.max(max, completed.getCheckpointId());
        }
        RestoredCheckpointStats restored = stats.getLatestRestoredCheckpoint();
        if (restored != null) {
            max = Math.max(max, restored.getCheckpointId());
        }
        return max;
    }

    private static void failIfTerminated(AccessExecutionGraph g, String waitingFor) {
        JobStatus s = g.getState();
        if (s.isGloballyTerminalState()) {
            ErrorInfo failure = g.getFailureInfo();
            String message =
                    "Flink: job " + g.getJobID() + " is " + s + " while waiting for " + waitingFor;
            throw failure == null
                    ? new EmbeddedRuntimeException(message)
                    : new EmbeddedRuntimeException(message, failure.getException());
        }
    }

    private static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    private static void pause(long deadline, JobID job, String waitingFor, Duration timeout) {
        if (System.nanoTime() > deadline) {
            throw new EmbeddedRuntimeException(
                    "Flink: timed out after "
                            + timeout
                            + " waiting for "
                            + waitingFor
                            + " of job "
                            + job);
        }
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedRuntimeException(
                    "Flink: interrupted while waiting for " + waitingFor + " of job " + job, e);
        }
    }

    private static <T> T get(CompletableFuture<T> future, String what) {
        try {
            return future.get(RPC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new EmbeddedRuntimeException("Flink: " + what + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new EmbeddedRuntimeException(
                    "Flink: " + what + " did not answer within " + RPC_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedRuntimeException("Flink: interrupted waiting for " + what, e);
        }
    }

    /**
     * Executors that submit a pipeline to one MiniCluster, for environments created by {@link
     * #createEnvironment}. Modelled on flink-test-utils' {@code
     * MiniClusterPipelineExecutorServiceLoader}, which is test-scoped.
     */
    private static final class MiniClusterExecutors
            implements PipelineExecutorServiceLoader, PipelineExecutorFactory, PipelineExecutor {
        private final MiniCluster cluster;

        MiniClusterExecutors(MiniCluster cluster) {
            this.cluster = cluster;
        }

        @Override
        public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
            return this;
        }

        @Override
        public Stream<String> getExecutorNames() {
            return Stream.of(EXECUTION_TARGET);
        }

        @Override
        public String getName() {
            return EXECUTION_TARGET;
        }

        @Override
        public boolean isCompatibleWith(Configuration configuration) {
            return EXECUTION_TARGET.equals(configuration.get(DeploymentOptions.TARGET));
        }

        @Override
        public PipelineExecutor getExecutor(Configuration configuration) {
            return this;
        }

        @Override
        public CompletableFuture<JobClient> execute(
                org.apache.flink.api.dag.Pipeline pipeline,
                Configuration configuration,
                ClassLoader userCodeClassLoader)
                throws Exception {
            // Restore settings put on the graph itself survive the configuration's (none).
            SavepointRestoreSettings onGraph =
                    ((StreamGraph) pipeline).getSavepointRestoreSettings();
            StreamGraph graph = PipelineExecutorUtils.getStreamGraph(pipeline, configuration);
            if (graph.getSavepointRestoreSettings() == SavepointRestoreSettings.none()) {
                graph.setSavepointRestoreSettings(onGraph);
            }
            return cluster.submitJob(graph)
                    .thenApply(
                            result ->
                                    new MiniClusterJobClient(
                                            result.getJobID(),
                                            cluster,
                                            userCodeClassLoader,
                                            MiniClusterJobClient.JobFinalizationBehavior.NOTHING));
        }
    }
}
