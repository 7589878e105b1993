package io.tinyalloc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RssFileTest {

    @Test
    void shouldReadBackWhatItWrites() {
        assertThat(RssFile.read(RssFile.write(Samples.rss()))).isEqualTo(Samples.rss());
        assertThat(RssFile.read(RssFile.write(List.of()))).isEmpty();
    }
}
