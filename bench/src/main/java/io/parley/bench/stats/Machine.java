package io.parley.bench.stats;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The machine, the JVM and how the cores were split between the generator and the server. */
public final class Machine {

    private Machine() {
    }

    public static Map<String, Object> describe(long serverPid, String cpuSplitNote) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores_online", onlineCores());
        m.put("cpu_model", cpuModel());
        m.put("memory_total_mb", memTotalKb() / 1024);
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("generator_jvm_args", ManagementFactory.getRuntimeMXBean().getInputArguments());
        m.put("generator_cpus_allowed", statusField(ProcessHandle.current().pid(), "Cpus_allowed_list"));
        m.put("generator_available_processors", Runtime.getRuntime().availableProcessors());
        if (serverPid > 0) {
            m.put("server_pid", serverPid);
            m.put("server_cpus_allowed", statusField(serverPid, "Cpus_allowed_list"));
        }
        if (cpuSplitNote != null && !cpuSplitNote.isBlank()) {
            m.put("cpu_split", cpuSplitNote);
        }
        return m;
    }

    public static int onlineCores() {
        try {
            String s = Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
            int n = 0;
            for (String part : s.split(",")) {
                String[] r = part.split("-");
                n += r.length == 2 ? Integer.parseInt(r[1]) - Integer.parseInt(r[0]) + 1 : 1;
            }
            return n;
        } catch (Exception e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException ignored) {
        }
        return "unknown";
    }

    static long memTotalKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException ignored) {
        }
        return -1;
    }

    public static String statusField(long pid, String field) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith(field + ":")) {
                    return l.substring(field.length() + 1).trim();
                }
            }
        } catch (IOException ignored) {
        }
        return null;
    }

    /** Resident set size of a process in kB (VmRSS), or -1. */
    public static long rssKb(long pid) {
        String v = statusField(pid, "VmRSS");
        return v == null ? -1 : Long.parseLong(v.replaceAll("[^0-9]", ""));
    }

    /**
     * Java heap in use after a full GC (jcmd GC.run, then GC.heap_info) in kB, or -1: what a JVM holds on to,
     * which its RSS does not show (a JVM keeps heap pages it once touched).
     */
    public static long heapAfterGcKb(long pid) {
        try {
            Process gc = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.run").redirectErrorStream(true).start();
            gc.getInputStream().readAllBytes();
            gc.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
            Process info = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(info.getInputStream().readAllBytes());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(out);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** User + system CPU time of a process in milliseconds (from /proc/pid/stat, 100 ticks/s), or -1. */
    public static long cpuMillis(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return ticks * 10;
        } catch (Exception e) {
            return -1;
        }
    }

    /** Process CPU of a process and all its descendants (the platform's PostgreSQL and Elasticsearch). */
    public static long treeCpuMillis(long pid) {
        long total = 0;
        for (long p : tree(pid)) {
            long c = cpuMillis(p);
            if (c > 0) {
                total += c;
            }
        }
        return total;
    }

    public static long treeRssKb(long pid) {
        long total = 0;
        for (long p : tree(pid)) {
            long r = rssKb(p);
            if (r > 0) {
                total += r;
            }
        }
        return total;
    }

    static List<Long> tree(long pid) {
        return ProcessHandle.of(pid).map(h -> java.util.stream.Stream.concat(java.util.stream.Stream.of(h), h.descendants())
                .map(ProcessHandle::pid).toList()).orElse(List.of());
    }

    /** Busy CPU of the whole machine in milliseconds (all cores, /proc/stat, without idle and iowait). */
    public static long machineBusyMillis() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy * 10;
        } catch (Exception e) {
            return -1;
        }
    }

    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    public static long selfCpuMillis() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1_000_000;
        }
        return cpuMillis(ProcessHandle.current().pid());
    }
}
