package io.tinyalloc.bench.report;

import java.util.List;

/**
 * What the report says around the numbers.
 *
 * @param setName   which set ran ("quick", "full")
 * @param machine   a one-line description of the machine and JDK
 * @param reproduce the command that reproduces the run
 * @param notes     lines such as skipped peers
 * @param charts    file names of the SVG charts written next to the report
 */
record ReportContext(String setName, String machine, String reproduce, List<String> notes, List<String> charts) {
}
