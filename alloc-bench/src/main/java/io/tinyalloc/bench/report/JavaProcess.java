package io.tinyalloc.bench.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines for child JVMs: the same java (the runner runs on the JDK 25 the build selected,
 * so its {@code java.home} is that JDK) and the same class path as this JVM.
 */
final class JavaProcess {

    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    private JavaProcess() {
    }

    static List<String> command(List<String> jvmOptions, String mainClass, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add(NATIVE_ACCESS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(arguments);
        return command;
    }
}
