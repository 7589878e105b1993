package io.tinyalloc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ChartsTest {

    @Test
    void shouldWriteWellFormedSvgForEveryChart() throws Exception {
        List<Charts.ChartFile> charts = Charts.build(Samples.measurements(), Samples.rss());

        assertThat(Charts.fileNames(charts)).containsExactly("pairs.svg", "kernels-throughput.svg", "kernels-rss.svg");
        for (Charts.ChartFile chart : charts) {
            Document document = parse(chart.svg());
            assertThat(document.getDocumentElement().getTagName()).isEqualTo("svg");
            assertThat(document.getElementsByTagName("text").getLength()).isGreaterThan(5);
        }
    }

    @Test
    void shouldDrawOneLinePerPeerOnALogAxis() throws Exception {
        Document pairs = parse(Charts.pairTimes(new Grid(Samples.measurements().stream()
                .filter(m -> m.suite().equals("pairs")).toList())));

        assertThat(pairs.getElementsByTagName("polyline").getLength()).isEqualTo(4);
        assertThat(pairs.getElementsByTagName("circle").getLength()).isEqualTo(8);
        assertThat(text(pairs)).contains("ns/op (log scale)", "tinyalloc", "netty-pooled", "16 B", "4 KiB");
    }

    @Test
    void shouldEscapeMarkupInLabels() throws Exception {
        Chart chart = new Chart("a <b> & \"c\"", "unit", List.of("x<y"), Chart.Style.BARS, false)
                .series("p&q", new double[] {3});

        Document document = parse(chart.render());

        assertThat(text(document)).contains("a <b> & \"c\"", "x<y", "p&q");
    }

    @Test
    void shouldLeaveGapsForMissingValues() throws Exception {
        Chart chart = new Chart("gaps", "ns", List.of("a", "b", "c"), Chart.Style.LINES, true)
                .series("glibc", new double[] {1, Double.NaN, 3});

        Document document = parse(chart.render());

        assertThat(document.getElementsByTagName("circle").getLength()).isEqualTo(2);
        assertThat(document.getElementsByTagName("polyline").getLength()).isZero();
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Document document) {
        return document.getDocumentElement().getTextContent();
    }
}
