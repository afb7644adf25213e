package io.hyperrec.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A sampling profile of this JVM over a window, by Java Flight Recorder (no safepoint bias): Java
 * execution samples every 10 ms, plus native-method samples at the same period so that time inside
 * JNI calls (RocksDB, ND4J) is seen too. Each sample is attributed to the component of the
 * innermost frame that is not plain JDK code (a {@code HashMap.get} called by the operator counts
 * as the operator's), giving "self time by component"; the inclusive share of each component
 * (samples with one of its frames anywhere on the stack) is reported as well. Native samples whose
 * top frame is a wait (socket poll, park) are idle threads and are dropped.
 */
public final class JfrProfile implements AutoCloseable {
    /** Components by class-name prefix; the first match wins, so specific prefixes go first. */
    private static final List<String[]> COMPONENTS =
            List.of(
                    new String[] {"org.rocksdb.", "RocksDB (JNI)"},
                    new String[] {"org.apache.flink.state.rocksdb.", "Flink RocksDB backend"},
                    new String[] {
                        "org.apache.flink.contrib.streaming.state.", "Flink RocksDB backend"
                    },
                    new String[] {"org.apache.flink.runtime.state.ttl.", "Flink state TTL"},
                    new String[] {"org.apache.flink.api.common.typeutils.", "Flink serializers"},
                    new String[] {"org.apache.flink.api.java.typeutils.", "Flink serializers"},
                    new String[] {"org.apache.flink.core.memory.", "Flink serializers"},
                    new String[] {"org.apache.flink.connector.kafka.", "Flink Kafka connector"},
                    new String[] {"org.apache.flink.", "Flink runtime"},
                    new String[] {"org.apache.avro.", "Avro"},
                    new String[] {"io.hyperrec.schemas.", "Avro"},
                    new String[] {"io.hyperrec.core.model.", "scoring (top-k scan)"},
                    new String[] {"io.hyperrec.core.kernel.TopKHeap", "scoring (top-k scan)"},
                    new String[] {"io.hyperrec.store.", "model store"},
                    new String[] {"io.hyperrec.core.kernel.", "kernels"},
                    new String[] {"io.hyperrec.core.geometry.", "kernels"},
                    new String[] {"jdk.incubator.vector.", "kernels"},
                    new String[] {"org.nd4j.", "kernels"},
                    new String[] {"org.bytedeco.", "kernels"},
                    new String[] {"io.hyperrec.core.online.", "update operator (hyperrec)"},
                    new String[] {"io.hyperrec.jobs.", "update operator (hyperrec)"},
                    new String[] {"io.hyperrec.bench.", "benchmark driver"},
                    new String[] {"io.hyperrec.", "hyperrec (other)"},
                    new String[] {"kafka.", "Kafka broker"},
                    new String[] {"org.apache.kafka.server.", "Kafka broker"},
                    new String[] {"org.apache.kafka.storage.", "Kafka broker"},
                    new String[] {"org.apache.kafka.raft.", "Kafka broker"},
                    new String[] {"org.apache.kafka.controller.", "Kafka broker"},
                    new String[] {"org.apache.kafka.coordinator.", "Kafka broker"},
                    new String[] {"org.apache.kafka.metadata.", "Kafka broker"},
                    new String[] {"org.apache.kafka.image.", "Kafka broker"},
                    new String[] {"org.apache.kafka.network.", "Kafka broker"},
                    new String[] {"org.apache.kafka.", "Kafka clients / common"},
                    new String[] {"org.apache.pekko.", "Flink runtime"},
                    new String[] {"org.eclipse.jetty.", "HTTP server (Jetty, Javalin)"},
                    new String[] {"io.javalin.", "HTTP server (Jetty, Javalin)"},
                    new String[] {"jakarta.", "HTTP server (Jetty, Javalin)"},
                    new String[] {"kotlin.", "HTTP server (Jetty, Javalin)"},
                    new String[] {"com.fasterxml.jackson.", "JSON (Jackson)"},
                    new String[] {"io.prometheus.", "metrics (Prometheus)"});

    /** Native top frames of idle threads. */
    private static final List<String> WAITS =
            List.of(
                    "sun.nio.ch.EPoll.",
                    "sun.nio.ch.Net.",
                    "sun.nio.ch.SocketDispatcher.",
                    "sun.nio.ch.FileDispatcherImpl.",
                    "jdk.internal.misc.Unsafe.park",
                    "java.lang.Thread.sleep",
                    "java.lang.Object.wait",
                    "sun.nio.ch.ServerSocketChannelImpl.",
                    "java.net.",
                    "sun.nio.fs.");

    private final Recording recording;
    private final Path dir;

    private JfrProfile(Recording recording, Path dir) {
        this.recording = recording;
        this.dir = dir;
    }

    /** Starts recording samples now. */
    static JfrProfile start() {
        Recording r = new Recording();
        r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        r.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
        r.setToDisk(true);
        r.start();
        try {
            return new JfrProfile(r, Files.createTempDirectory("hyperrec-jfr-"));
        } catch (IOException e) {
            r.close();
            throw new UncheckedIOException("cannot create a directory for the recording", e);
        }
    }

    /** A summary of the samples. */
    record Summary(
            int samples,
            Map<String, Integer> selfByComponent,
            Map<String, Integer> inclusiveByComponent,
            Map<String, Integer> byThreadGroup,
            Map<String, Integer> hottestMethods,
            Path file) {
        /** The summary as text tables. */
        String render(int topMethods) {
            StringBuilder b = new StringBuilder();
            b.append(
                    String.format(
                            "  %,d CPU samples (Java and JNI, every 10 ms per thread)%n", samples));
            b.append("  by component (self: innermost non-JDK frame; incl.: anywhere on stack)\n");
            for (Map.Entry<String, Integer> e : selfByComponent.entrySet()) {
                b.append(
                        String.format(
                                "    %-36s self %5.1f%%   incl. %5.1f%%%n",
                                e.getKey(),
                                100.0 * e.getValue() / samples,
                                100.0
                                        * inclusiveByComponent.getOrDefault(e.getKey(), 0)
                                        / samples));
            }
            b.append("  by thread group\n");
            byThreadGroup.forEach(
                    (k, v) ->
                            b.append(String.format("    %-36s %5.1f%%%n", k, 100.0 * v / samples)));
            b.append("  hottest methods (self; a JDK method with its first non-JDK caller)\n");
            hottestMethods.entrySet().stream()
                    .limit(topMethods)
                    .forEach(
                            e ->
                                    b.append(
                                            String.format(
                                                    "    %5.1f%%  %s%n",
                                                    100.0 * e.getValue() / samples, e.getKey())));
            b.append("  recording: ").append(file).append('\n');
            return b.toString();
        }
    }

    /**
     * Stops the recording and summarises it.
     *
     * @param threadGroup the group of a thread name (as in {@link CpuAccounting})
     */
    Summary stop(Function<String, String> threadGroup) {
        recording.stop();
        Path file = dir.resolve("profile.jfr");
        try {
            recording.dump(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the recording to " + file, e);
        } finally {
            recording.close();
        }
        return summarize(file, threadGroup);
    }

    /**
     * Summarises the execution and native-method samples of a recording.
     *
     * @param threadGroup the group of a thread name
     */
    static Summary summarize(Path file, Function<String, String> threadGroup) {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> methods = new HashMap<>();
        int samples = 0;
        try (RecordingFile in = new RecordingFile(file)) {
            while (in.hasMoreEvents()) {
                RecordedEvent e = in.readEvent();
                String type = e.getEventType().getName();
                boolean nativeSample = type.equals("jdk.NativeMethodSample");
                if (!nativeSample && !type.equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty()) {
                    continue;
                }
                List<RecordedFrame> frames = st.getFrames();
                String top = name(frames.get(0));
                if (nativeSample && isWait(top)) {
                    continue;
                }
                samples++;
                String component = "JDK / other";
                for (RecordedFrame f : frames) {
                    String c = component(name(f));
                    if (c != null) {
                        component = c;
                        break;
                    }
                }
                self.merge(component, 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String c = component(name(f));
                    if (c != null && seen.add(c)) {
                        inclusive.merge(c, 1, Integer::sum);
                    }
                }
                methods.merge(leafWithCaller(frames), 1, Integer::sum);
                RecordedThread t = e.getThread("sampledThread");
                String tn = t == null ? "?" : t.getJavaName();
                threads.merge(threadGroup.apply(tn == null ? "?" : tn), 1, Integer::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the recording " + file, e);
        }
        return new Summary(
                samples, sorted(self), inclusive, sorted(threads), sorted(methods), file);
    }

    /**
     * Prints the summary of a recording made elsewhere (e.g. {@code jcmd <pid> JFR.start}, as
     * {@code tests/bench/serving.sh} does with {@code PROFILE=1}); threads are grouped by name with
     * digits collapsed.
     *
     * @param args the recording file, then optionally how many hottest methods to list (25)
     */
    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: JfrProfile <recording.jfr> [top methods]");
            System.exit(2);
        }
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        System.out.print(summarize(Path.of(args[0]), t -> t.replaceAll("\\d+", "N")).render(top));
    }

    @Override
    public void close() {
        recording.close();
    }

    private static String name(RecordedFrame f) {
        if (f.getMethod() == null || f.getMethod().getType() == null) {
            return "?";
        }
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** The innermost frame and, when it is JDK code, the first non-JDK frame that called it. */
    private static String leafWithCaller(List<RecordedFrame> frames) {
        String top = name(frames.get(0));
        if (component(top) != null) {
            return top;
        }
        for (RecordedFrame f : frames) {
            String n = name(f);
            if (component(n) != null) {
                return top + "  <- " + n;
            }
        }
        return top;
    }

    private static boolean isWait(String frame) {
        for (String w : WAITS) {
            if (frame.startsWith(w)) {
                return true;
            }
        }
        return false;
    }

    /** The component of a frame, or null for plain JDK code (attributed to its caller). */
    static String component(String frame) {
        for (String[] c : COMPONENTS) {
            if (frame.startsWith(c[0])) {
                return c[1];
            }
        }
        if (frame.startsWith("java.")
                || frame.startsWith("jdk.")
                || frame.startsWith("sun.")
                || frame.startsWith("javax.")
                || frame.startsWith("?")) {
            return null;
        }
        return "other libraries";
    }

    private static Map<String, Integer> sorted(Map<String, Integer> m) {
        Map<String, Integer> out = new LinkedHashMap<>();
        m.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
