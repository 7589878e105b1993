package io.tinyalloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.core.HeapConfig;
import io.tinyalloc.core.TrimConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Settings from system properties and environment variables: names, syntax, precedence, errors. */
class ConfigurationTest {

    @Test
    void shouldNameEverySettingAsPropertyAndEnvironmentVariable() {
        assertThat(Configuration.SETTINGS).extracting(Configuration.Setting::propertyName).containsExactly(
                "tinyalloc.maxMemory", "tinyalloc.maxReservation", "tinyalloc.arenaSize", "tinyalloc.zeroOnFree",
                "tinyalloc.threadCache", "tinyalloc.disableTrimThread", "tinyalloc.purgeDelay", "tinyalloc.purgeMode",
                "tinyalloc.trimThreshold", "tinyalloc.forceThp", "tinyalloc.disableThp");
        assertThat(Configuration.SETTINGS).extracting(Configuration.Setting::environmentName).containsExactly(
                "TINYALLOC_MAX_MEMORY", "TINYALLOC_MAX_RESERVATION", "TINYALLOC_ARENA_SIZE", "TINYALLOC_ZERO_ON_FREE",
                "TINYALLOC_THREAD_CACHE", "TINYALLOC_DISABLE_TRIM_THREAD", "TINYALLOC_PURGE_DELAY",
                "TINYALLOC_PURGE_MODE", "TINYALLOC_TRIM_THRESHOLD", "TINYALLOC_FORCE_THP", "TINYALLOC_DISABLE_THP");
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0", "4096, 4096", "12b, 12", "1k, 1024", "3K, 3072", "2KiB, 2048", "5m, 5242880",
        "5 MiB, 5242880", "1g, 1073741824", "2GiB, 2147483648", "1gib, 1073741824", "3t, 3298534883328",
        "1TiB, 1099511627776", "8388607t, 9223370937343148032"
    })
    void shouldParseSizesWithBinarySuffixes(String text, long bytes) {
        assertThat(Configuration.parseSize(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"12x", "1.5g", "-1", "m", "''", "1 GB", "0x10"})
    void shouldRejectTextThatIsNotASize(String text) {
        assertThatThrownBy(() -> Configuration.parseSize(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text + "\" is not a size: expected bytes or a number with k, m, g, t, KiB, MiB, "
                        + "GiB or TiB (powers of 1024), e.g. 512m");
    }

    @Test
    void shouldRejectSizesThatOverflow() {
        assertThatThrownBy(() -> Configuration.parseSize("8388608t"))
                .hasMessage("\"8388608t\" is larger than 9223372036854775807 bytes");
        assertThatThrownBy(() -> Configuration.parseSize("99999999999999999999"))
                .hasMessage("\"99999999999999999999\" is larger than 9223372036854775807 bytes");
    }

    @ParameterizedTest
    @CsvSource({"true, true", "YES, true", "on, true", "1, true", "false, false", "No, false", "OFF, false",
        "0, false"})
    void shouldParseBooleans(String text, boolean value) {
        assertThat(Configuration.parseBoolean(text)).isEqualTo(value);
    }

    @Test
    void shouldRejectTextThatIsNotABoolean() {
        assertThatThrownBy(() -> Configuration.parseBoolean("maybe"))
                .hasMessage("\"maybe\" is not a boolean: expected true/false, yes/no, on/off or 1/0");
    }

    @Test
    void shouldApplyPropertiesAndEnvironment() {
        Configuration configuration = Configuration.of(
                Map.of("tinyalloc.maxMemory", "64m", "tinyalloc.zeroOnFree", "yes"),
                Map.of("TINYALLOC_ARENA_SIZE", " 128MiB ", "TINYALLOC_MAX_RESERVATION", "1t"));

        HeapConfig config = configuration.applyTo(Allocator.builder()).heapConfig();

        assertThat(config).isEqualTo(new HeapConfig(64L << 20, 1L << 40, 128L << 20, true).withTrim(TrimConfig.defaults()));
        assertThat(configuration.applied()).containsExactly("tinyalloc.maxMemory=\"64m\" (system property)",
                "TINYALLOC_MAX_RESERVATION=\"1t\" (environment variable)",
                "TINYALLOC_ARENA_SIZE=\" 128MiB \" (environment variable)",
                "tinyalloc.zeroOnFree=\"yes\" (system property)");
    }

    @Test
    void shouldLetAPropertyWinOverTheEnvironment() {
        Configuration configuration = Configuration.of(Map.of("tinyalloc.maxMemory", "32m"),
                Map.of("TINYALLOC_MAX_MEMORY", "not even a size"));

        assertThat(configuration.applyTo(Allocator.builder()).heapConfig().maxMemoryBytes()).isEqualTo(32L << 20);
    }

    @Test
    void shouldKeepTheDefaultsWhenNothingIsSet() {
        Configuration configuration = Configuration.of(Map.of(), Map.of());

        assertThat(configuration.applyTo(Allocator.builder()).heapConfig())
                .isEqualTo(HeapConfig.defaults().withTrim(TrimConfig.defaults()));
        assertThat(configuration.applied()).isEmpty();
    }

    @Test
    void shouldNameTheSettingItsSourceAndTheBadValue() {
        Configuration badSyntax = Configuration.of(Map.of(), Map.of("TINYALLOC_MAX_MEMORY", "12x"));
        Configuration badRange = Configuration.of(Map.of("tinyalloc.arenaSize", "1000"), Map.of());
        Configuration badBoolean = Configuration.of(Map.of("tinyalloc.zeroOnFree", "perhaps"), Map.of());

        assertThatThrownBy(() -> badSyntax.applyTo(Allocator.builder())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TINYALLOC_MAX_MEMORY=\"12x\" (environment variable): \"12x\" is not a size: expected "
                        + "bytes or a number with k, m, g, t, KiB, MiB, GiB or TiB (powers of 1024), e.g. 512m");
        assertThatThrownBy(() -> badRange.applyTo(Allocator.builder()))
                .hasMessage("tinyalloc.arenaSize=\"1000\" (system property): arenaSize=1000 is below the minimum "
                        + "1048576");
        assertThatThrownBy(() -> badBoolean.applyTo(Allocator.builder()))
                .hasMessage("tinyalloc.zeroOnFree=\"perhaps\" (system property): \"perhaps\" is not a boolean: "
                        + "expected true/false, yes/no, on/off or 1/0");
    }

    @Test
    void shouldReportABadGlobalConfigurationAsIllegalState() {
        Configuration bad = Configuration.of(Map.of("tinyalloc.maxMemory", "64m", "tinyalloc.maxReservation", "0"),
                Map.of());

        assertThatThrownBy(() -> GlobalAllocator.build(bad)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the global TinyAlloc allocator is misconfigured: tinyalloc.maxReservation=\"0\" "
                        + "(system property): maxReservation=0 is below the minimum 1048576 (settings read: "
                        + "tinyalloc.maxMemory=\"64m\" (system property))")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }
}
