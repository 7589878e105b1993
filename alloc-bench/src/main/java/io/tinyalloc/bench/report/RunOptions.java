package io.tinyalloc.bench.report;

import io.tinyalloc.bench.workloads.Kernels;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The runner's command line.
 *
 * @param module     a per-module package to run alone (sys, bitmap, list, array, core, api), or null
 * @param full       the full set instead of the quick one
 * @param quick      --quick was given (for --module: short iterations instead of the annotations')
 * @param rss        whether to run the RSS forks
 * @param reportOnly only rebuild the report and charts from the result folder
 * @param folder     where results, report and charts go
 * @param suites     the parts of the set to run: pairs, batch, realloc, calloc, kernels, rss
 * @param kernels    the kernels to run (empty: all)
 */
record RunOptions(String module, boolean full, boolean quick, boolean rss, boolean reportOnly, Path folder,
                  Set<String> suites, List<String> kernels) {

    static final Set<String> MODULES = Set.of("sys", "bitmap", "list", "array", "core", "api");
    static final String DEFAULT_FOLDER = "bench-results";
    static final Set<String> SUITES = Set.of("pairs", "batch", "realloc", "calloc", "kernels", "rss");

    static final String USAGE = """
            TinyAlloc benchmarks. Results, report.md and SVG charts go to the result folder.

              (no option)        the quick set: pairs at 4 sizes, batch, realloc, calloc, every kernel at
                                 2 threads, peak RSS per kernel; about 5 minutes on 2 cores
              --full             everything: 9 sizes, 1/2/4 threads, BenchDefaults timing (about 45 minutes)
              --module NAME      only the per-module suite io.tinyalloc.bench.NAME
                                 (NAME: sys, bitmap, list, array, core, api); add --quick for short iterations
              --no-rss           skip the peak-RSS forks
              --only LIST        run only these parts (comma-separated: pairs,batch,realloc,calloc,kernels,rss)
              --kernels LIST     run only these kernels (comma-separated, e.g. larson,mstress)
              --report-only      rebuild report.md and the charts from the result folder
              --out DIR          the result folder (default: bench-results)
              --help             this text
            """;

    static RunOptions parse(List<String> arguments) {
        String module = null;
        boolean full = false;
        boolean quick = false;
        boolean rss = true;
        boolean reportOnly = false;
        Path folder = Path.of(DEFAULT_FOLDER);
        Set<String> suites = SUITES;
        List<String> kernels = List.of();
        for (int index = 0; index < arguments.size(); index++) {
            String argument = arguments.get(index);
            switch (argument) {
                case "--quick" -> quick = true;
                case "--full" -> full = true;
                case "--no-rss" -> rss = false;
                case "--report-only" -> reportOnly = true;
                case "--module" -> module = valueAfter(arguments, ++index, argument);
                case "--out" -> folder = Path.of(valueAfter(arguments, ++index, argument));
                case "--only" -> suites = Set.copyOf(listAfter(arguments, ++index, argument, SUITES));
                case "--kernels" -> kernels = listAfter(arguments, ++index, argument, Set.copyOf(Kernels.NAMES));
                default -> throw new IllegalArgumentException("unknown option: " + argument + "\n\n" + USAGE);
            }
        }
        if (module != null && !MODULES.contains(module)) {
            throw new IllegalArgumentException("unknown module: module=" + module + " known=" + MODULES);
        }
        if (full && quick) {
            throw new IllegalArgumentException("--quick and --full exclude each other\n\n" + USAGE);
        }
        return new RunOptions(module, full, quick, rss && suites.contains("rss"), reportOnly, folder, suites, kernels);
    }

    private static List<String> listAfter(List<String> arguments, int index, String option, Set<String> known) {
        List<String> values = List.of(valueAfter(arguments, index, option).split(","));
        for (String value : values) {
            if (!known.contains(value)) {
                throw new IllegalArgumentException(option + ": unknown value=" + value + " known=" + known);
            }
        }
        return values;
    }

    private static String valueAfter(List<String> arguments, int index, String option) {
        if (index >= arguments.size() || arguments.get(index).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value\n\n" + USAGE);
        }
        return arguments.get(index);
    }
}
