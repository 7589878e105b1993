package io.tinyalloc.bench.report;

import java.util.ArrayList;
import java.util.List;

/** A GitHub-flavoured Markdown table: first column left-aligned, the others right-aligned. */
final class MarkdownTable {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    MarkdownTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    void addRow(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, header has " + header.size());
        }
        rows.add(List.copyOf(cells));
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String render() {
        StringBuilder table = new StringBuilder();
        line(table, header);
        List<String> rule = new ArrayList<>();
        for (int column = 0; column < header.size(); column++) {
            rule.add(column == 0 ? "---" : "---:");
        }
        line(table, rule);
        rows.forEach(row -> line(table, row));
        return table.toString();
    }

    private static void line(StringBuilder table, List<String> cells) {
        table.append("| ").append(String.join(" | ", cells.stream().map(MarkdownTable::escape).toList())).append(" |\n");
    }

    private static String escape(String cell) {
        return cell.replace("|", "\\|");
    }
}
