package io.tinyalloc.bench.report;

import io.tinyalloc.bench.workloads.Kernels;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Labels and order of table rows, from their benchmark parameters. */
final class Rows {

    private static final List<String> PARAM_ORDER = List.of("kernel", "threads", "byteSize", "order");

    /** Kernels in registry order, numbers numerically, anything else alphabetically. */
    static final Comparator<Map<String, String>> ORDER = Rows::compare;

    private Rows() {
    }

    static String label(Map<String, String> params) {
        if (params.isEmpty()) {
            return "all";
        }
        StringBuilder label = new StringBuilder();
        for (String key : sortedKeys(params)) {
            if (!label.isEmpty()) {
                label.append(", ");
            }
            label.append(labelOf(key, params.get(key)));
        }
        return label.toString();
    }

    private static String labelOf(String key, String value) {
        return switch (key) {
            case "byteSize" -> Format.bytes(Long.parseLong(value));
            case "threads" -> value + (value.equals("1") ? " thread" : " threads");
            case "kernel", "order" -> value;
            default -> key + "=" + value;
        };
    }

    private static List<String> sortedKeys(Map<String, String> params) {
        return params.keySet().stream().sorted(Comparator.comparingInt(Rows::rank).thenComparing(key -> key)).toList();
    }

    private static int rank(String key) {
        int index = PARAM_ORDER.indexOf(key);
        return index < 0 ? PARAM_ORDER.size() : index;
    }

    private static int compare(Map<String, String> left, Map<String, String> right) {
        for (String key : sortedKeys(left)) {
            int order = compareValues(key, left.get(key), right.getOrDefault(key, ""));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(left.size(), right.size());
    }

    private static int compareValues(String key, String left, String right) {
        if (key.equals("kernel")) {
            return Integer.compare(kernelRank(left), kernelRank(right));
        }
        try {
            return Double.compare(Double.parseDouble(left), Double.parseDouble(right));
        } catch (NumberFormatException notNumbers) {
            return left.compareTo(right);
        }
    }

    private static int kernelRank(String kernel) {
        int index = Kernels.NAMES.indexOf(kernel);
        return index < 0 ? Kernels.NAMES.size() : index;
    }
}
