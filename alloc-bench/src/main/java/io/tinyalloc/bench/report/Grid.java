package io.tinyalloc.bench.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The measurements of one suite as a table: rows (sorted parameter sets) by peers (sorted). */
final class Grid {

    private final List<Map<String, String>> rows;
    private final List<String> peers;
    private final Map<String, Measurement> cells = new HashMap<>();
    private final String unit;

    Grid(List<Measurement> measurements) {
        Set<Map<String, String>> distinctRows = new LinkedHashSet<>();
        List<String> allPeers = new ArrayList<>();
        for (Measurement measurement : measurements) {
            distinctRows.add(measurement.rowParams());
            allPeers.add(measurement.peer());
            cells.put(key(measurement.rowParams(), measurement.peer()), measurement);
        }
        this.rows = distinctRows.stream().sorted(Rows.ORDER).toList();
        this.peers = PeerOrder.sorted(allPeers);
        this.unit = measurements.isEmpty() ? "" : measurements.getFirst().unit();
    }

    List<Map<String, String>> rows() {
        return rows;
    }

    List<String> peers() {
        return peers;
    }

    String unit() {
        return unit;
    }

    boolean higherIsBetter() {
        return unit.startsWith("ops/");
    }

    Optional<Measurement> cell(Map<String, String> row, String peer) {
        return Optional.ofNullable(cells.get(key(row, peer)));
    }

    double score(Map<String, String> row, String peer) {
        return cell(row, peer).map(Measurement::score).orElse(Double.NaN);
    }

    /**
     * How many times better {@code subject} is than {@code peer} in this row: peer / subject for
     * times and memory, subject / peer for throughputs; NaN when either is missing.
     */
    double advantage(Map<String, String> row, String subject, String peer) {
        double subjectScore = score(row, subject);
        double peerScore = score(row, peer);
        return higherIsBetter() ? subjectScore / peerScore : peerScore / subjectScore;
    }

    /** The geometric mean of {@link #advantage} over the rows where both have a score. */
    double geometricMeanAdvantage(String subject, String peer) {
        double logSum = 0;
        int count = 0;
        for (Map<String, String> row : rows) {
            double advantage = advantage(row, subject, peer);
            if (Double.isFinite(advantage) && advantage > 0) {
                logSum += Math.log(advantage);
                count++;
            }
        }
        return count == 0 ? Double.NaN : Math.exp(logSum / count);
    }

    private static String key(Map<String, String> row, String peer) {
        return Rows.label(row) + "\u0000" + peer;
    }
}
