package io.tinyalloc.bench.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds and loads the shared libraries of the native peers.
 *
 * <p>A library is located, in order: by a system property naming its file
 * ({@code tinyalloc.bench.mimalloc}, {@code tinyalloc.bench.jemalloc}), by the dynamic linker's
 * cache ({@code ldconfig -p}), then in the usual library folders. Libraries are loaded into the
 * global arena: a peer stays loaded for the life of the JVM, as a malloc must.
 */
public final class NativeLibraries {

    private static final List<String> LIBRARY_FOLDERS = List.of(
            "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/x86_64-linux-gnu",
            "/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib", "/opt/homebrew/lib");

    private NativeLibraries() {
    }

    /** The file of {@code soname} on this machine, if any. */
    public static Optional<Path> locate(String soname, String overrideProperty) {
        String override = System.getProperty(overrideProperty);
        if (override != null && !override.isBlank()) {
            Path path = Path.of(override);
            return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
        }
        Optional<Path> cached = fromLinkerCache(soname);
        if (cached.isPresent()) {
            return cached;
        }
        return LIBRARY_FOLDERS.stream().map(folder -> Path.of(folder, soname)).filter(Files::isRegularFile).findFirst();
    }

    /** Loads a library into the global arena; fails with {@link IllegalArgumentException} if it cannot. */
    @SuppressWarnings("restricted")
    static SymbolLookup load(Path library) {
        return SymbolLookup.libraryLookup(library, Arena.global());
    }

    /** True if this process has {@code soname} mapped already (e.g. through {@code LD_PRELOAD}). */
    public static boolean isMappedInProcess(String soname) {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(line -> line.endsWith("/" + soname));
        } catch (IOException e) {
            return false;
        }
    }

    /** True if the library can be dlopen'ed into this JVM now; loads it as a side effect. */
    static boolean canLoad(Path library) {
        try {
            load(library);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Optional<Path> fromLinkerCache(String soname) {
        for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig")) {
            if (Files.isExecutable(Path.of(ldconfig))) {
                return runLinkerCache(ldconfig).stream()
                        .filter(line -> line.trim().startsWith(soname + " "))
                        .map(line -> Path.of(line.substring(line.lastIndexOf("=> ") + 3).trim()))
                        .filter(Files::isRegularFile)
                        .findFirst();
            }
        }
        return Optional.empty();
    }

    private static List<String> runLinkerCache(String ldconfig) {
        try {
            Process process = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
            List<String> lines = new ArrayList<>(new String(process.getInputStream().readAllBytes()).lines().toList());
            process.waitFor(10, TimeUnit.SECONDS);
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
