package io.tinyalloc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the settings of {@link Allocator#global()} from system properties ({@code tinyalloc.*})
 * and environment variables ({@code TINYALLOC_*}) and applies them to an
 * {@link AllocatorBuilder}, which checks the ranges.
 *
 * <p>Each setting has one camel-case key; its property is {@code "tinyalloc." + key} and its
 * environment variable is {@code "TINYALLOC_"} + the key in upper snake case ({@code maxMemory}
 * -> {@code tinyalloc.maxMemory}, {@code TINYALLOC_MAX_MEMORY}). A property wins over the
 * environment. A new setting is one line in {@link #SETTINGS}: its key, a {@link Syntax} (add
 * one here if none fits, e.g. a duration or an enum) and the builder method that takes it.
 *
 * <p>Errors name the setting as it was written, where it came from and the bad value:
 * {@code TINYALLOC_MAX_MEMORY="12x" (environment variable): "12x" is not a size: ...}.
 */
final class Configuration {

    /** How the text of a setting becomes a value; throws IllegalArgumentException saying what it expected. */
    @FunctionalInterface
    interface Syntax<T> {
        T parse(String text);
    }

    /** One configurable setting: its key, its syntax and the builder method that takes its value. */
    record Setting<T>(String key, Syntax<T> syntax, BiConsumer<AllocatorBuilder, T> target) {

        String propertyName() {
            return "tinyalloc." + key;
        }

        String environmentName() {
            return "TINYALLOC_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        }
    }

    static final List<Setting<?>> SETTINGS = List.of(
            new Setting<>("maxMemory", Configuration::parseSize, AllocatorBuilder::maxMemory),
            new Setting<>("maxReservation", Configuration::parseSize, AllocatorBuilder::maxReservation),
            new Setting<>("arenaSize", Configuration::parseSize, AllocatorBuilder::arenaSize),
            new Setting<>("zeroOnFree", Configuration::parseBoolean, AllocatorBuilder::zeroOnFree),
            new Setting<>("threadCache", Configuration::parseBoolean, AllocatorBuilder::threadCache),
            new Setting<>("disableTrimThread", Configuration::parseBoolean, AllocatorBuilder::disableTrimThread),
            new Setting<>("purgeDelay", Configuration::parseDuration, AllocatorBuilder::purgeDelay),
            new Setting<>("purgeMode", Configuration::parsePurgeMode, AllocatorBuilder::purgeMode),
            new Setting<>("trimThreshold", Configuration::parseSize, AllocatorBuilder::trimThreshold),
            new Setting<>("forceThp", Configuration::parseBoolean, AllocatorBuilder::forceThp),
            new Setting<>("disableThp", Configuration::parseBoolean, AllocatorBuilder::disableThp));

    private static final String PROPERTY = "system property";
    private static final String ENVIRONMENT = "environment variable";

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([a-zA-Z]*)");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ns|us|ms|s|m|)");

    private final UnaryOperator<String> properties;
    private final UnaryOperator<String> environment;
    private final List<String> applied = new ArrayList<>();

    Configuration(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        this.properties = Objects.requireNonNull(properties);
        this.environment = Objects.requireNonNull(environment);
    }

    /** The configuration of this process: {@link System#getProperty} and {@link System#getenv}. */
    static Configuration ofProcess() {
        return new Configuration(System::getProperty, System::getenv);
    }

    /** For tests: fixed maps instead of the process's properties and environment. */
    static Configuration of(Map<String, String> properties, Map<String, String> environment) {
        return new Configuration(properties::get, environment::get);
    }

    /** Applies every setting that is present to {@code builder}. */
    AllocatorBuilder applyTo(AllocatorBuilder builder) {
        for (Setting<?> setting : SETTINGS) {
            apply(setting, builder);
        }
        return builder;
    }

    /** The settings applied so far, as {@code name="value" (source)}, for messages. */
    List<String> applied() {
        return List.copyOf(applied);
    }

    private <T> void apply(Setting<T> setting, AllocatorBuilder builder) {
        String text = properties.apply(setting.propertyName());
        if (text != null) {
            apply(setting, builder, setting.propertyName(), PROPERTY, text);
            return;
        }
        text = environment.apply(setting.environmentName());
        if (text != null) {
            apply(setting, builder, setting.environmentName(), ENVIRONMENT, text);
        }
    }

    private <T> void apply(Setting<T> setting, AllocatorBuilder builder, String name, String source,
                           String text) {
        try {
            setting.target().accept(builder, setting.syntax().parse(text.strip()));
        } catch (IllegalArgumentException problem) {
            throw Errors.badSetting(name, source, text, problem);
        }
        applied.add(name + "=\"" + text + "\" (" + source + ")");
    }

    // ---- syntaxes ------------------------------------------------------------------------------

    /** Bytes, or a number with a binary suffix: k/KiB, m/MiB, g/GiB, t/TiB, any case. */
    static long parseSize(String text) {
        Matcher matcher = SIZE.matcher(text);
        if (!matcher.matches()) {
            throw Errors.notASize(text);
        }
        int shift = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 0;
            case "k", "kib" -> 10;
            case "m", "mib" -> 20;
            case "g", "gib" -> 30;
            case "t", "tib" -> 40;
            default -> throw Errors.notASize(text);
        };
        return scaled(text, matcher.group(1), shift);
    }

    private static long scaled(String text, String digits, int shift) {
        long number;
        try {
            number = Long.parseLong(digits);
        } catch (NumberFormatException tooManyDigits) {
            throw Errors.sizeOverflow(text);
        }
        if (number > (Long.MAX_VALUE >> shift)) {
            throw Errors.sizeOverflow(text);
        }
        return number << shift;
    }

    /** A whole number with a unit: ns, us, ms, s or m; no unit means milliseconds (e.g. 250ms, 1s, 200). */
    static java.time.Duration parseDuration(String text) {
        Matcher matcher = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration: expected a whole number "
                    + "with ns, us, ms, s or m (no unit: milliseconds), e.g. 250ms");
        }
        long number = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ns" -> java.time.Duration.ofNanos(number);
            case "us" -> java.time.Duration.ofNanos(number * 1000);
            case "s" -> java.time.Duration.ofSeconds(number);
            case "m" -> java.time.Duration.ofMinutes(number);
            default -> java.time.Duration.ofMillis(number);
        };
    }

    /** {@code dontneed} or {@code free}, any case. */
    static PurgeMode parsePurgeMode(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "dontneed", "madv_dontneed" -> PurgeMode.DONTNEED;
            case "free", "madv_free" -> PurgeMode.FREE;
            default -> throw new IllegalArgumentException("\"" + text + "\" is not a purge mode: expected dontneed or free");
        };
    }

    static boolean parseBoolean(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw Errors.notABoolean(text);
        };
    }
}
