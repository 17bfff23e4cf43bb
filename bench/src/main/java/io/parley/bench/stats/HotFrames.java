package io.parley.bench.stats;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code hotframes <recording.jfr> [top]}: the {@code jdk.ExecutionSample} events of a JFR recording summarised
 * as the hottest top frames (self time), the hottest frames anywhere on the stack (inclusive), and the hottest
 * application frames ({@code io.parley}), each as a share of all samples.
 */
public final class HotFrames {

    private HotFrames() {
    }

    public static String summarise(Path jfr, int top) throws Exception {
        return summarise(jfr, top, List.of());
    }

    /** Samples whose stack holds a frame containing one of {@code exclude} (e.g. the set-up's sign-ups) are left out. */
    public static String summarise(Path jfr, int top, List<String> exclude) throws Exception {
        return summarise(jfr, top, exclude, Instant.MIN, Instant.MAX);
    }

    /** Only samples taken in [from, to]: e.g. a bench report's measured window, without start-up and set-up. */
    public static String summarise(Path jfr, int top, List<String> exclude, Instant from, Instant to)
            throws Exception {
        int excluded = 0;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> app = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            if (e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            boolean skip = false;
            if (!exclude.isEmpty()) {
                for (RecordedFrame f : st.getFrames()) {
                    String n = f.getMethod().getType().getName() + "." + f.getMethod().getName();
                    for (String x : exclude) {
                        if (n.contains(x)) {
                            skip = true;
                        }
                    }
                }
            }
            if (skip) {
                excluded++;
                continue;
            }
            samples++;
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            threads.merge(thread == null ? "?" : thread.replaceAll("-?\\d+$", "-N"), 1, Integer::sum);
            boolean first = true;
            boolean appSeen = false;
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : st.getFrames()) {
                String name = f.getMethod().getType().getName() + "." + f.getMethod().getName();
                if (first) {
                    self.merge(name, 1, Integer::sum);
                    first = false;
                }
                if (seen.add(name)) {
                    inclusive.merge(name, 1, Integer::sum);
                }
                if (!appSeen && name.startsWith("io.parley.")) {
                    app.merge(name, 1, Integer::sum);
                    appSeen = true;
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("recording: ").append(jfr).append("\nexecution samples: ").append(samples).append('\n');
        if (!exclude.isEmpty()) {
            sb.append("left out: ").append(excluded).append(" samples with a frame containing ").append(exclude).append('\n');
        }
        section(sb, "hottest top frames (self)", self, samples, top);
        section(sb, "hottest frames on the stack (inclusive)", inclusive, samples, top);
        section(sb, "innermost io.parley frame of each sample", app, samples, top);
        section(sb, "samples by thread (numbers folded)", threads, samples, top);
        return sb.toString();
    }

    static void section(StringBuilder sb, String title, Map<String, Integer> m, int total, int top) {
        sb.append("\n== ").append(title).append('\n');
        Map<String, Integer> sorted = new LinkedHashMap<>();
        m.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(top)
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        for (Map.Entry<String, Integer> e : sorted.entrySet()) {
            sb.append(String.format("%6.1f%%  %6d  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getValue(), e.getKey()));
        }
    }

    /** {@code hotframes <recording.jfr> [top] [out.txt] [--exclude=a,b]}. */
    public static void main(String[] args) throws Exception {
        List<String> exclude = new ArrayList<>();
        List<String> pos = new ArrayList<>();
        Instant from = Instant.MIN;
        Instant to = Instant.MAX;
        for (String a : args) {
            if (a.startsWith("--exclude=")) {
                exclude.addAll(List.of(a.substring(10).split(",")));
            } else if (a.startsWith("--from=")) {
                from = Instant.parse(a.substring(7));
            } else if (a.startsWith("--to=")) {
                to = Instant.parse(a.substring(5));
            } else {
                pos.add(a);
            }
        }
        String s = summarise(Path.of(pos.get(0)), pos.size() > 1 ? Integer.parseInt(pos.get(1)) : 30, exclude,
                from, to);
        System.out.print(s);
        if (pos.size() > 2) {
            Files.writeString(Path.of(pos.get(2)), s);
        }
    }
}
