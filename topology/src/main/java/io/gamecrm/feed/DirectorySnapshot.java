package io.gamecrm.feed;

import io.gamecrm.handlers.HandlerDirectory;
import io.gamecrm.handlers.HandlerFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the handlers directory holds at one moment: its *.js files, oldest first (by modification
 * time, then name: when two new files declare the same campaign in one scan, the older keeps it),
 * and its control.json.
 */
public record DirectorySnapshot(Map<String, HandlerFile> files, String controlJson) {
    public static final String CONTROL_FILE = "control.json";

    public static DirectorySnapshot read(Path dir) throws IOException {
        Map<String, HandlerFile> files = new LinkedHashMap<>();
        List<HandlerFile> list;
        try {
            list = new ArrayList<>(HandlerDirectory.read(dir));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Map<String, Long> modified = new HashMap<>();
        for (HandlerFile f : list) {
            try {
                modified.put(f.name(), Files.getLastModifiedTime(dir.resolve(f.name())).toMillis());
            } catch (IOException e) {
                modified.put(f.name(), Long.MAX_VALUE); // gone since the listing: last
            }
        }
        list.sort(Comparator.comparingLong((HandlerFile f) -> modified.get(f.name()))
                .thenComparing(HandlerFile::name));
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
