package io.pressroom.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

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
        Snapshot snapshot = snapshot(group);
        return new Sample(total(snapshot.root(), group.kind(), snapshot.members()), snapshot.rssKb(),
                snapshot.pssKb());
    }

    /** The group's processes (the root among them) as read at one moment, and their memory in kB. */
    record Snapshot(long root, Map<Long, Stat> members, long rssKb, long pssKb) {
    }

    static Snapshot snapshot(Group group) {
        long root = group.rootPid().getAsLong();
        Map<Long, Stat> members = new HashMap<>();
        Stat rootStat = root > 0 ? stat(root) : null;
        if (rootStat == null) {
            return new Snapshot(root, members, 0, 0);
        }
        members.put(root, rootStat);
        if (group.kind() != Kind.SELF) {
            ProcessHandle.of(root).ifPresent(handle -> handle.descendants().forEach(child -> {
                Stat stat = stat(child.pid());
                if (stat != null) {
                    members.put(child.pid(), stat);
                }
            }));
        }
        long rss = 0;
        long pss = 0;
        for (long pid : members.keySet()) {
            if (pid != root || group.kind() != Kind.CHILDREN) {
                rss += kb(pid, "status", "VmRSS");
                pss += kb(pid, "smaps_rollup", "Pss");
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

        private final Group group;
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
            Snapshot now = snapshot(group);
            startFrom(now.root(), now.members());
            peakRssKb = now.rssKb();
            peakPssKb = now.pssKb();
            startRssKb = now.rssKb();
            lastRssKb = now.rssKb();
        }

        synchronized void sample() {
            Snapshot now = snapshot(group);
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
