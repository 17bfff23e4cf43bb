package io.parley.embedded.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to start: the command (without the privilege drop), extra environment (a {@code null} value removes
 * the variable), working directory, the log file that receives stdout and stderr, and an optional pid file
 * written with the launched process's pid.
 */
public record ChildSpec(String name, List<String> command, Map<String, String> environment, Path workingDirectory,
                        Path logFile, Path pidFile) {
}
