package org.dp3q.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The benchmark's result: the machine, the table of figures against their targets, and notes on where time goes. */
public final class Report {
    private static final List<String> HEADINGS = List.of("figure", "configuration", "median", "spread (min–max)", "runs",
            "target", "verdict");

    private final List<String> machine = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public synchronized void machine(String line) {
        machine.add(line);
    }

    public synchronized void add(Row row) {
        rows.add(row);
    }

    public synchronized void note(String line) {
        notes.add(line);
    }

    public synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    private static List<String> cells(Row r) {
        return List.of(r.figure(), r.config(), r.median(), r.range(), r.runs(), r.targetText(), r.verdict());
    }

    public synchronized String text() {
        int[] width = new int[HEADINGS.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = HEADINGS.get(i).length();
        }
        for (Row r : rows) {
            List<String> c = cells(r);
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], c.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        machine.forEach(line -> out.append(line).append('\n'));
        out.append('\n');
        String section = null;
        appendLine(out, HEADINGS, width);
        appendLine(out, HEADINGS.stream().map(h -> "").toList(), width, '-');
        for (Row r : rows) {
            if (section != null && !section.equals(r.section())) {
                out.append('\n');
            }
            section = r.section();
            appendLine(out, cells(r), width);
        }
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(n -> out.append(n).append('\n'));
        }
        return out.toString();
    }

    private static void appendLine(StringBuilder out, List<String> cells, int[] width) {
        appendLine(out, cells, width, ' ');
    }

    private static void appendLine(StringBuilder out, List<String> cells, int[] width, char pad) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            boolean number = i >= 2 && i <= 4;
            String padding = String.valueOf(pad).repeat(width[i] - cell.length());
            line.append(number ? padding + cell : cell + padding);
            line.append(i + 1 < cells.size() ? (pad == '-' ? "-+-" : " | ") : "");
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    public synchronized String markdown() {
        StringBuilder out = new StringBuilder("# dp3q benchmark\n\n");
        machine.forEach(line -> out.append("- ").append(line).append('\n'));
        out.append('\n').append("| ").append(String.join(" | ", HEADINGS)).append(" |\n");
        out.append("|---|---|---:|---:|---:|---|---|\n");
        for (Row r : rows) {
            out.append("| ").append(cells(r).stream().map(c -> c.replace("|", "\\|")).collect(Collectors.joining(" | ")))
                    .append(" |\n");
        }
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(n -> out.append(n.isBlank() ? "" : "- " + n.strip()).append('\n'));
        }
        return out.toString();
    }

    /** One line per figure and run, for plotting and comparing runs. */
    public synchronized String csv() {
        StringBuilder out = new StringBuilder("section,figure,configuration,run,value,target\n");
        for (Row r : rows) {
            for (int i = 0; i < r.samples().size(); i++) {
                out.append(String.join(",", quote(r.section()), quote(r.figure()), quote(r.config()), Integer.toString(i + 1),
                        String.format(Locale.ROOT, "%.6f", r.samples().get(i)), quote(r.targetText()))).append('\n');
            }
        }
        return out.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
