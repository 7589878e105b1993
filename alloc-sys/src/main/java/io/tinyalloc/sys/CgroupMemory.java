package io.tinyalloc.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The memory limits of the control groups this process lives in, cgroup v2 ({@code memory.max},
 * {@code memory.current}) and v1 ({@code memory.limit_in_bytes}, {@code memory.usage_in_bytes}).
 *
 * <p>The effective limit is the smallest one on the path from the process's group up to the
 * root, so every level is read. Inside a container the group path of {@code /proc/self/cgroup}
 * may not exist under the mount point (the container sees its own group as the root): then the
 * mount point itself is read. Limits of 2^60 bytes and more mean "none" (v1 writes
 * {@code LONG_MAX} rounded to a page; v2 writes {@code max}).
 */
final class CgroupMemory {

    private static final Path SELF_CGROUP = Path.of("/proc/self/cgroup");
    private static final Path MOUNT = Path.of("/sys/fs/cgroup");
    private static final long NO_LIMIT = 1L << 60;

    /** One group's limit and usage files. */
    private record Level(Path limitFile, Path usageFile) {
    }

    /** Discovered once: a process does not move between groups in normal operation. */
    private static final List<Level> LEVELS = discover();

    private CgroupMemory() {
    }

    /** The smallest limit over all levels, or empty if there is none. */
    static OptionalLong limitBytes() {
        long smallest = Long.MAX_VALUE;
        for (Level level : LEVELS) {
            smallest = Math.min(smallest, limit(level, KernelText.SHARED));
        }
        return smallest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(smallest);
    }

    /**
     * The smallest {@code limit - usage} over all limited levels, or {@code Long.MAX_VALUE} if
     * there is none. Polled by the trim threads: no garbage (see {@link KernelText}).
     */
    static long headroomBytes(KernelText text) {
        long smallest = Long.MAX_VALUE;
        for (int i = 0; i < LEVELS.size(); i++) {
            Level level = LEVELS.get(i);
            long limit = limit(level, text);
            if (limit != Long.MAX_VALUE) {
                long usage = text.firstNumber(level.usageFile(), 0L);
                smallest = Math.min(smallest, Math.max(0L, limit - usage));
            }
        }
        return smallest;
    }

    /** A level's limit, {@code Long.MAX_VALUE} for none ({@code max}, missing, or 2^60 and more). */
    private static long limit(Level level, KernelText text) {
        long limit = text.firstNumber(level.limitFile(), Long.MAX_VALUE);
        return limit <= 0 || limit >= NO_LIMIT ? Long.MAX_VALUE : limit;
    }

    private static List<Level> discover() {
        List<Level> levels = new ArrayList<>();
        for (String line : lines(SELF_CGROUP)) {
            String[] fields = line.split(":", 3);
            if (fields.length != 3) {
                continue;
            }
            if (fields[1].isEmpty()) {
                addLevels(levels, fields[2], "memory.max", "memory.current", MOUNT, MOUNT.resolve("unified"));
            } else if (List.of(fields[1].split(",")).contains("memory")) {
                addLevels(levels, fields[2], "memory.limit_in_bytes", "memory.usage_in_bytes",
                        MOUNT.resolve("memory"));
            }
        }
        return List.copyOf(levels);
    }

    private static void addLevels(List<Level> levels, String groupPath, String limitName, String usageName,
                                  Path... mounts) {
        for (Path mount : mounts) {
            Path group = mount.resolve(groupPath.startsWith("/") ? groupPath.substring(1) : groupPath).normalize();
            if (!group.startsWith(mount) || !Files.isRegularFile(group.resolve(limitName))) {
                group = mount;
            }
            for (Path dir = group; dir != null && dir.startsWith(mount); dir = dir.getParent()) {
                Path limitFile = dir.resolve(limitName);
                if (Files.isRegularFile(limitFile)) {
                    levels.add(new Level(limitFile, dir.resolve(usageName)));
                }
            }
        }
    }

    /** All lines, read once; empty if the file is missing or unreadable (then no limits apply). */
    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | SecurityException unreadable) {
            return List.of();
        }
    }
}
