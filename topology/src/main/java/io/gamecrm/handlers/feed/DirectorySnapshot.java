package io.gamecrm.handlers.feed;

import io.gamecrm.handlers.HandlerDirectory;
import io.gamecrm.handlers.HandlerFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the handlers directory holds at one moment: its *.js files and its control.json. */
public record DirectorySnapshot(Map<String, HandlerFile> files, String controlJson) {
    public static final String CONTROL_FILE = "control.json";

    public static DirectorySnapshot read(Path dir) throws IOException {
        Map<String, HandlerFile> files = new LinkedHashMap<>();
        List<HandlerFile> list;
        try {
            list = HandlerDirectory.read(dir);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        list.forEach(f -> files.put(f.name(), f));
        String control;
        try {
            control = Files.readString(dir.resolve(CONTROL_FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            control = null;
        }
        return new DirectorySnapshot(files, control);
    }
}
