package io.gamecrm.handlers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the handler files of a directory: every regular {@code *.js} file directly in it (not in
 * sub-folders, not hidden), sorted by name, which is also the order they load and run in.
 */
public final class HandlerDirectory {
    private HandlerDirectory() {
    }

    public static List<HandlerFile> read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("handlers directory does not exist: " + dir.toAbsolutePath());
        }
        List<HandlerFile> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.sorted().toList()) {
                String name = p.getFileName().toString();
                if (isHandlerFile(name) && Files.isRegularFile(p)) {
                    files.add(HandlerFile.of(name, Files.readString(p, StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read handlers directory " + dir.toAbsolutePath(), e);
        }
        return files;
    }

    public static boolean isHandlerFile(String name) {
        return name.endsWith(".js") && !name.startsWith(".");
    }
}
