package io.pressroom.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        long root = group.rootPid().getAsLong();
        if (root <= 0) {
            return new Sample(0, 0, 0);
        }
        Stat rootStat = stat(root);
        if (rootStat == null) {
            return new Sample(0, 0, 0);
        }
        List<Long> descendants = group.kind() == Kind.SELF ? List.of()
                : ProcessHandle.of(root).map(h -> h.descendants().map(ProcessHandle::pid).toList()).orElse(List.of());
        long ticks = switch (group.kind()) {
            case TREE -> rootStat.own() + rootStat.reapedChildren();
            case SELF -> rootStat.own();
            case CHILDREN -> rootStat.reapedChildren();
        };
        List<Long> measured = new ArrayList<>();
        if (group.kind() != Kind.CHILDREN) {
            measured.add(root);
        }
        for (long pid : descendants) {
            Stat stat = stat(pid);
            if (stat != null) {
                ticks += stat.own() + stat.reapedChildren();
                measured.add(pid);
            }
        }
        long rss = 0;
        long pss = 0;
        for (long pid : measured) {
            rss += kb(pid, "status", "VmRSS");
            pss += kb(pid, "smaps_rollup", "Pss");
        }
        return new Sample(ticks, rss, pss);
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

    /** Samples of several groups at one moment, in the groups' order. */
    static List<Sample> sampleAll(List<Group> groups) {
        List<Sample> samples = new ArrayList<>();
        groups.forEach(group -> samples.add(sample(group)));
        return samples;
    }
}
