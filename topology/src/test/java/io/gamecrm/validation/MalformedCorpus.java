package io.gamecrm.validation;

import io.gamecrm.RepoPaths;
import io.gamecrm.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The records of {@code topology/src/test/resources/malformed/corpus.jsonl}: each a Kafka key (null
 * for none), a value (text, or base64 for bytes that are not UTF-8, optionally padded with spaces to
 * a size) and the one outcome it must have: a dead-letter reason, or VALID.
 */
public final class MalformedCorpus {
    /** The outcome of a record the validator accepts. */
    public static final String VALID = "VALID";

    public record Entry(String name, String key, byte[] value, String expect) {
        public boolean valid() {
            return VALID.equals(expect);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private MalformedCorpus() {
    }

    public static Path file() {
        return RepoPaths.root().resolve("topology/src/test/resources/malformed/corpus.jsonl");
    }

    public static List<Entry> entries() {
        try {
            return Files.readAllLines(file(), StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
                    .map(MalformedCorpus::entry).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Entry entry(String line) {
        Map<String, Object> m = Json.readObject(line);
        byte[] value = m.containsKey("value_base64") ? Base64.getDecoder().decode((String) m.get("value_base64"))
                : ((String) m.get("value")).getBytes(StandardCharsets.UTF_8);
        if (m.get("pad_to_bytes") instanceof Number pad && pad.intValue() > value.length) {
            byte[] padded = Arrays.copyOf(value, pad.intValue());
            Arrays.fill(padded, value.length, padded.length, (byte) ' ');
            value = padded;
        }
        return new Entry((String) m.get("name"), (String) m.get("key"), value, (String) m.get("expect"));
    }
}
