package io.hyperrec.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the CPU of a measured window went: this process's CPU time, split by Java thread group (a
 * function of the thread's name), its native threads (GC, JIT, RocksDB background) by their Linux
 * names from {@code /proc/self/task}, and the machine's busy time from {@code /proc/stat}, so that
 * a result states how much of the (shared) machine it had. What no group accounts for (threads that
 * ended inside the window, other native threads) is the process total minus the groups.
 */
final class CpuAccounting {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Native (non-Java) threads by the name the JVM or library gives them on Linux. */
    private static final List<String[]> NATIVE_GROUPS =
            List.of(
                    new String[] {"GC Thread", "native: GC threads"},
                    new String[] {"G1 ", "native: GC threads"},
                    new String[] {"C2 CompilerThre", "native: JIT compiler threads"},
                    new String[] {"C1 CompilerThre", "native: JIT compiler threads"},
                    new String[] {"rocksdb:", "native: RocksDB background (flush, compaction)"},
                    new String[] {"VM Thread", "native: JVM (VM thread, safepoints)"},
                    new String[] {"VM Periodic", "native: JVM (VM thread, safepoints)"});

    /** One reading of the counters. */
    record Snapshot(
            long wallNanos,
            long processCpuNanos,
            Map<Long, ThreadCpu> threads,
            Map<String, Long> nativeGroups,
            long[] machine) {}

    /** A Java thread's name and CPU time so far. */
    record ThreadCpu(String name, long cpuNanos) {}

    /**
     * The CPU of a window, in cores (CPU seconds per wall second).
     *
     * @param seconds the window's length
     * @param processCores this process, all threads
     * @param groups this process's Java threads by group, in descending order
     * @param machineBusyCores the whole machine (all processes), or NaN without /proc/stat
     * @param cores the machine's cores
     */
    record Window(
            double seconds,
            double processCores,
            Map<String, Double> groups,
            double machineBusyCores,
            int cores) {
        /** The rest of the machine: busy cores not used by this process. */
        double otherProcessesCores() {
            return Double.isNaN(machineBusyCores)
                    ? Double.NaN
                    : Math.max(0, machineBusyCores - processCores);
        }
    }

    private CpuAccounting() {}

    /** Reads the counters now. */
    static Snapshot snapshot() {
        Map<Long, ThreadCpu> threads = new HashMap<>();
        if (THREADS.isThreadCpuTimeSupported()) {
            long[] ids = THREADS.getAllThreadIds();
            ThreadInfo[] infos = THREADS.getThreadInfo(ids);
            for (int i = 0; i < ids.length; i++) {
                long cpu = THREADS.getThreadCpuTime(ids[i]);
                if (infos[i] != null && cpu >= 0) {
                    threads.put(ids[i], new ThreadCpu(infos[i].getThreadName(), cpu));
                }
            }
        }
        return new Snapshot(
                System.nanoTime(),
                OS.getProcessCpuTime(),
                threads,
                nativeThreads(),
                machineJiffies());
    }

    /**
     * CPU nanoseconds of this process's native threads by group, from /proc/self/task (empty where
     * there is none). Threads that ended are missing, which only undercounts a group.
     */
    private static Map<String, Long> nativeThreads() {
        Map<String, Long> out = new HashMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return out;
        }
        long tick = 10_000_000L; // USER_HZ is 100 on Linux x86-64
        try (var dirs = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) dirs::iterator) {
                try {
                    String comm = Files.readString(t.resolve("comm")).trim();
                    String group = null;
                    for (String[] g : NATIVE_GROUPS) {
                        if (comm.startsWith(g[0])) {
                            group = g[1];
                            break;
                        }
                    }
                    if (group == null) {
                        continue;
                    }
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // After the name: state is field 3, so utime (14) and stime (15) are 11, 12.
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    out.merge(group, ticks * tick, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // The thread ended while being read: skip it.
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /**
     * The window between two snapshots.
     *
     * @param group the group of a thread name
     */
    static Window between(Snapshot from, Snapshot to, Function<String, String> group) {
        double seconds = (to.wallNanos() - from.wallNanos()) / 1e9;
        Map<String, Double> groups = new HashMap<>();
        double javaTotal = 0;
        for (Map.Entry<Long, ThreadCpu> e : to.threads().entrySet()) {
            ThreadCpu before = from.threads().get(e.getKey());
            long used = e.getValue().cpuNanos() - (before == null ? 0 : before.cpuNanos());
            double cores = used / 1e9 / seconds;
            groups.merge(group.apply(e.getValue().name()), cores, Double::sum);
            javaTotal += cores;
        }
        for (Map.Entry<String, Long> e : to.nativeGroups().entrySet()) {
            long used = e.getValue() - from.nativeGroups().getOrDefault(e.getKey(), 0L);
            double cores = Math.max(0, used) / 1e9 / seconds;
            groups.merge(e.getKey(), cores, Double::sum);
            javaTotal += cores;
        }
        double process = (to.processCpuNanos() - from.processCpuNanos()) / 1e9 / seconds;
        groups.merge(
                "other native threads and threads that ended",
                Math.max(0, process - javaTotal),
                Double::sum);
        Map<String, Double> sorted = new LinkedHashMap<>();
        groups.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        double machine = Double.NaN;
        if (from.machine() != null && to.machine() != null) {
            long busy = to.machine()[0] - from.machine()[0];
            long total = to.machine()[1] - from.machine()[1];
            int cores = Runtime.getRuntime().availableProcessors();
            machine = total <= 0 ? Double.NaN : (double) busy / total * cores;
        }
        return new Window(
                seconds, process, sorted, machine, Runtime.getRuntime().availableProcessors());
    }

    /** {busy, total} jiffies of all CPUs from /proc/stat, or null where there is none. */
    private static long[] machineJiffies() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] f = lines.get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle + iowait
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The load averages from /proc/loadavg (1, 5, 15 minutes), or "n/a". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** The CPU model from /proc/cpuinfo, or "n/a". */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
        return "n/a";
    }

    /** One line describing the machine and its load now. */
    static String machineLine() {
        return String.format(
                "machine: %d cores (%s), load average %s; Java %s",
                Runtime.getRuntime().availableProcessors(),
                cpuModel(),
                loadAverage(),
                System.getProperty("java.version"));
    }
}
