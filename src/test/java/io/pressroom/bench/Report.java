package io.pressroom.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The benchmark's output: a text table for people and a JSON file for tools. */
final class Report {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Report() {
    }

    /**
     * One row per cell: throughput and its ratio against bare, latency percentiles, CPU per job of each group; then
     * a second table of the groups' peak RSS.
     */
    static String table(List<Cell> cells, List<String> groups) {
        List<String> header = new ArrayList<>(List.of("scenario", "doc", "clients", "jobs", "PDFs/s", "×bare",
                "p50 ms", "p90 ms", "p99 ms", "fail"));
        groups.forEach(group -> header.add(group));
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> rssRows = new ArrayList<>();
        for (Cell cell : cells) {
            List<String> row = new ArrayList<>(List.of(cell.scenario(), cell.doc(), Integer.toString(cell.clients()),
                    Integer.toString(cell.jobs()), fixed(cell.pdfsPerSecond(), 2),
                    cell.xBare() == null ? "—" : fixed(cell.xBare(), 2) + "×", fixed(cell.p50Ms(), 0),
                    fixed(cell.p90Ms(), 0), fixed(cell.p99Ms(), 0), Integer.toString(cell.failures())));
            List<String> rssRow = new ArrayList<>(List.of(cell.scenario(), cell.doc(),
                    Integer.toString(cell.clients())));
            for (String group : groups) {
                row.add(optional(cell.cpuMsPerJob().get(group), 1));
                Double rss = cell.peakRssMb().get(group);
                rssRow.add(rss == null ? "—" : fixed(rss, 0) + " (" + optional(cell.peakPssMb().get(group), 0) + ")");
            }
            rows.add(row);
            rssRows.add(rssRow);
        }
        List<String> rssHeader = new ArrayList<>(List.of("scenario", "doc", "clients"));
        rssHeader.addAll(groups);
        return "Throughput, latency and CPU ms per job by process group:\n" + render(header, rows)
                + "\nPeak memory in MiB by process group, RSS (PSS), each summed over the group's processes; RSS sampled"
                + " every 250 ms, PSS every 2 s:\n"
                + render(rssHeader, rssRows);
    }

    /** Writes the run's description and its cells as JSON. */
    static void writeJson(Path file, Map<String, Object> run, List<Cell> cells) throws IOException {
        Map<String, Object> document = new LinkedHashMap<>(run);
        document.put("cells", cells);
        Files.createDirectories(file.getParent());
        JSON.writeValue(file.toFile(), document);
    }

    private static String optional(Double value, int decimals) {
        return value == null ? "—" : fixed(value, decimals);
    }

    private static String fixed(double value, int decimals) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String render(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < all.size(); r++) {
            List<String> row = all.get(r);
            out.append('|');
            for (int i = 0; i < row.size(); i++) {
                // text left, numbers right
                String value = row.get(i);
                String padded = i < 3 ? pad(value, widths[i], false) : pad(value, widths[i], true);
                out.append(' ').append(padded).append(" |");
            }
            out.append('\n');
            if (r == 0) {
                out.append('|');
                for (int width : widths) {
                    out.append("-".repeat(width + 2)).append('|');
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static String pad(String value, int width, boolean right) {
        String spaces = " ".repeat(width - value.length());
        return right ? spaces + value : value + spaces;
    }
}
