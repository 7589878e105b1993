package io.tinyalloc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void shouldReadNestedObjectsArraysAndLiterals() {
        Object value = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": {\"c\": \"d\"}, \"e\": {}} ");

        assertThat(value).isEqualTo(Map.of("a", java.util.Arrays.asList(1.0, -2500.0, true, false, null),
                "b", Map.of("c", "d"), "e", Map.of()));
    }

    @Test
    void shouldUnescapeStrings() {
        assertThat(Json.parse("\"a\\\"b\\\\c\\n\\u00e9\"")).isEqualTo("a\"b\\c\n\u00e9");
    }

    @Test
    void shouldQuoteWhatItCanReadBack() {
        String text = "quote \" backslash \\ newline \n tab \t bell \u0007";

        assertThat(Json.parse(Json.quote(text))).isEqualTo(text);
    }

    @Test
    void shouldReadNumbersWrittenAsStringsLikeJmhDoes() {
        assertThat(Json.number("NaN")).isNaN();
        assertThat(Json.number(3.5)).isEqualTo(3.5);
        assertThat(Json.number(null)).isNaN();
    }

    @Test
    void shouldRejectMalformedInputWithItsOffset() {
        assertThatThrownBy(() -> Json.parse("[1, 2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset=5");
        assertThatThrownBy(() -> Json.parse("{} x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trailing");
        assertThat(Json.parse("[]")).isEqualTo(List.of());
    }
}
