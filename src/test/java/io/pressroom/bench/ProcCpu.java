package io.pressroom.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * CPU time and memory of process groups, read from {@code /proc}: {@code utime}, {@code stime}, {@code cutime} and
 * {@code cstime} of {@code /proc/<pid>/stat} (clock ticks), {@code VmRSS} of {@code /proc/<pid>/status}.
 * <p>
 * A process that exits has its time added to its parent's {@code cutime}/{@code cstime} once the parent waits for
 * it, and only then. So a group counts its members' own time and their reaped children's; see {@link Kind}.
 */
final class ProcCpu {

    /** The fields of {@code /proc/<pid>/stat} that are read here. */
    record Stat(long pid, long ppid, long utime, long stime, long cutime, long cstime) {

        long own() {
            return utime + stime;
        }

        long reapedChildren() {
            return cutime + cstime;
        }
    }

    /** Which processes and which of their times make up a group. */
    enum Kind {
        /** The root and all its descendants, each with its own and its reaped children's time. */
        TREE,
        /** The root's own time only (a JVM whose children are counted elsewhere). */
        SELF,
        /** The root's descendants with their reaped children's time, plus the root's reaped children's time. */
        CHILDREN
    }

    /** A named group: its root process (read at each sample: it may start later) and what counts. */
    record Group(String name, LongSupplier rootPid, Kind kind) {
    }

    /**
     * A group's CPU ticks and memory at one moment: resident ({@code VmRSS}) and proportional ({@code Pss} of
     * {@code smaps_rollup}: shared pages divided among their users) in kB, each summed over its live processes.
     * Summed RSS counts a page shared by N processes N times (Chromium's); summed PSS counts it once.
     */
    record Sample(long ticks, long rssKb, long pssKb) {
    }

    private ProcCpu() {
    }

    /**
     * Parses one {@code /proc/<pid>/stat} line. The command name (field 2) is in parentheses and may hold spaces
     * and parentheses itself, so the fields are counted from the last {@code ')'}.
     */
    static Stat parseStat(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
        }
        long pid = Long.parseLong(line.substring(0, open).trim());
        String[] fields = line.substring(close + 1).trim().split("\\s+");
        // fields[0] is field 3 (state): field n is fields[n - 3]
        return new Stat(pid, Long.parseLong(fields[1]), Long.parseLong(fields[11]), Long.parseLong(fields[12]),
                Long.parseLong(fields[13]), Long.parseLong(fields[14]));
    }

    /**
     * A {@code kB} value of {@code /proc/<pid>/status} ({@code VmRSS}) or {@code smaps_rollup} ({@code Pss}); 0 when
     * the key is missing.
     */
    static long statusKb(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key + ":")) {
                String value = line.substring(key.length() + 1).trim();
                int space = value.indexOf(' ');
                return Long.parseLong(space < 0 ? value : value.substring(0, space));
            }
        }
        return 0;
    }

    /** The clock ticks per second of {@code /proc} times: {@code getconf CLK_TCK}, 100 when that cannot be run. */
    static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    /** The group's ticks and memory now; zero for a group whose root is not running. */
    static Sample sample(Group group) {
        Snapshot snapshot = snapshot(group, processes(), true);
        return new Sample(total(snapshot.root(), group.kind(), snapshot.members()), snapshot.rssKb(),
                snapshot.pssKb());
    }

    /** The group's processes (the root among them) as read at one moment, and their memory in kB. */
    record Snapshot(long root, Map<Long, Stat> members, long rssKb, long pssKb) {
    }

    /**
     * Every process's {@code stat} now, by pid: read once per sampling round and shared by the groups, each of which
     * finds its members in it (a walk of {@code /proc} per group, as {@link ProcessHandle#descendants()} does, cost
     * 3 ms each).
     */
    static Map<Long, Stat> processes() {
        Map<Long, Stat> all = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"),
                entry -> entry.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path entry : entries) {
                Stat stat = stat(Long.parseLong(entry.getFileName().toString()));
                if (stat != null) {
                    all.put(stat.pid(), stat);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /**
     * @param processes every process's stat ({@link #processes()})
     * @param withPss whether to read PSS too ({@code pssKb} is 0 otherwise): {@code smaps_rollup} walks the process's
     *        page tables, which for Chromium's processes and the JVMs costs milliseconds of kernel time each; read
     *        every 250 ms it took about 15 % of a 2-core machine, more than all other readings together
     */
    static Snapshot snapshot(Group group, Map<Long, Stat> processes, boolean withPss) {
        long root = group.rootPid().getAsLong();
        Map<Long, Stat> members = new HashMap<>();
        Stat rootStat = root > 0 ? processes.get(root) : null;
        if (rootStat == null) {
            return new Snapshot(root, members, 0, 0);
        }
        members.put(root, rootStat);
        if (group.kind() != Kind.SELF) {
            Map<Long, List<Stat>> children = processes.values().stream()
                    .collect(Collectors.groupingBy(Stat::ppid));
            Deque<Long> parents = new ArrayDeque<>(List.of(root));
            while (!parents.isEmpty()) {
                for (Stat child : children.getOrDefault(parents.pop(), List.of())) {
                    if (members.putIfAbsent(child.pid(), child) == null) {
                        parents.push(child.pid());
                    }
                }
            }
        }
        long rss = 0;
        long pss = 0;
        for (long pid : members.keySet()) {
            if (pid != root || group.kind() != Kind.CHILDREN) {
                rss += kb(pid, "status", "VmRSS");
                if (withPss) {
                    pss += kb(pid, "smaps_rollup", "Pss");
                }
            }
        }
        return new Snapshot(root, members, rss, pss);
    }

    /** The ticks a group's processes account for at one moment (see {@link Kind}). */
    static long total(long root, Kind kind, Map<Long, Stat> members) {
        long ticks = 0;
        for (Map.Entry<Long, Stat> member : members.entrySet()) {
            ticks += contribution(root, kind, member.getKey(), member.getValue());
        }
        return ticks;
    }

    private static long contribution(long root, Kind kind, long pid, Stat stat) {
        if (pid != root) {
            return stat.own() + stat.reapedChildren();
        }
        return switch (kind) {
            case TREE -> stat.own() + stat.reapedChildren();
            case SELF -> stat.own();
            case CHILDREN -> stat.reapedChildren();
        };
    }

    /**
     * The ticks of the processes that were in {@code before} and are gone in {@code after} without a parent in the
     * group to have reaped them (a process tree killed at once: its children go to init, not to their dead parent),
     * as last read. A process whose parent is still in the group is left out: its time is in the parent's
     * {@code cutime} now.
     */
    static long lostBetween(long root, Kind kind, Map<Long, Stat> before, Map<Long, Stat> after) {
        long lost = 0;
        for (Map.Entry<Long, Stat> member : before.entrySet()) {
            if (!after.containsKey(member.getKey()) && !after.containsKey(member.getValue().ppid())) {
                lost += contribution(root, kind, member.getKey(), member.getValue());
            }
        }
        return lost;
    }

    /**
     * Follows one group through a cell, read at its start, every few hundred milliseconds and at its end: the ticks
     * its processes used since the start, the time of processes that vanished unreaped included (a sum of totals
     * alone goes down when the renderer replaces its browser), and the peak memory.
     */
    static final class Meter {

        /** PSS is read at every this many samples (and at the start and the end), RSS and ticks at every one. */
        static final int PSS_EVERY = 8;

        private final Group group;
        private int samples;
        private Map<Long, Stat> last = Map.of();
        private long startTicks;
        private long lastTicks;
        private long lost;
        private long peakRssKb;
        private long peakPssKb;
        private long startRssKb;
        private long lastRssKb;

        Meter(Group group) {
            this.group = group;
        }

        Group group() {
            return group;
        }

        synchronized void start() {
            Snapshot now = snapshot(group, processes(), true);
            startFrom(now.root(), now.members());
            peakRssKb = now.rssKb();
            peakPssKb = now.pssKb();
            startRssKb = now.rssKb();
            lastRssKb = now.rssKb();
        }

        /** A reading of ticks and RSS, and of PSS at every {@value #PSS_EVERY}th. */
        synchronized void sample() {
            sample(processes());
        }

        /** As {@link #sample()}, from every process's stat read once for all groups ({@link #processes()}). */
        synchronized void sample(Map<Long, Stat> processes) {
            sample(processes, ++samples % PSS_EVERY == 0);
        }

        /** The last reading of a phase: PSS too. */
        synchronized void finish() {
            sample(processes(), true);
        }

        private void sample(Map<Long, Stat> processes, boolean withPss) {
            Snapshot now = snapshot(group, processes, withPss);
            record(now.root(), now.members());
            peakRssKb = Math.max(peakRssKb, now.rssKb());
            peakPssKb = Math.max(peakPssKb, now.pssKb());
            lastRssKb = now.rssKb();
        }

        /** Takes one reading of the group's processes (apart from /proc, for tests). */
        synchronized void record(long root, Map<Long, Stat> members) {
            lost += lostBetween(root, group.kind(), last, members);
            last = members;
            lastTicks = total(root, group.kind(), members);
        }

        /** Takes the reading the ticks count from (apart from /proc, for tests). */
        synchronized void startFrom(long root, Map<Long, Stat> members) {
            last = members;
            startTicks = total(root, group.kind(), members);
            lastTicks = startTicks;
            lost = 0;
        }

        synchronized long ticks() {
            return lastTicks + lost - startTicks;
        }

        synchronized long peakRssKb() {
            return peakRssKb;
        }

        synchronized long peakPssKb() {
            return peakPssKb;
        }

        /** How much the group's RSS grew from the start of the measured phase to its last reading, in percent. */
        synchronized double rssGrowthPercent() {
            return startRssKb == 0 ? Double.NaN : (lastRssKb - startRssKb) * 100.0 / startRssKb;
        }
    }

    private static Stat stat(long pid) {
        try {
            return parseStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (NoSuchFileException gone) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long kb(long pid, String file, String key) {
        try {
            return statusKb(Files.readString(Path.of("/proc", Long.toString(pid), file)), key);
        } catch (IOException | RuntimeException e) {
            return 0; // gone meanwhile, or not ours to read
        }
    }
}
