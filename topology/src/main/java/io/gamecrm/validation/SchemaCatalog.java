package io.gamecrm.validation;

import io.gamecrm.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.everit.json.schema.Schema;
import org.everit.json.schema.loader.SchemaLoader;
import org.json.JSONObject;

/**
 * The compiled JSON schemas named by {@code schemas/catalog.json}: the event envelope, one payload
 * schema per event type, the trigger schema and the dead-letter schema. Loaded from the classpath
 * (the topology jar carries {@code schemas/}) or from a directory. Immutable and thread-safe.
 */
public final class SchemaCatalog {
    /** Classpath folder of the schemas inside the topology jar. */
    public static final String CLASSPATH_ROOT = "schemas/";

    private final Schema envelope;
    private final Schema trigger;
    private final Schema deadLetter;
    private final Map<String, Schema> events;
    private final Map<String, List<String>> validExamples;

    private SchemaCatalog(Function<String, String> reader) {
        Map<String, Object> catalog = Json.readObject(reader.apply("catalog.json"));
        this.envelope = load(reader, (String) catalog.get("envelope"));
        this.trigger = load(reader, (String) catalog.get("trigger"));
        this.deadLetter = load(reader, (String) catalog.get("dead_letter"));
        Map<String, Schema> byType = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        Map<String, String> eventFiles = (Map<String, String>) catalog.get("events");
        eventFiles.forEach((type, file) -> byType.put(type, load(reader, file)));
        this.events = Collections.unmodifiableMap(byType);
        Map<String, List<String>> examples = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        List<String> exampleFiles = (List<String>) catalog.getOrDefault("valid_examples", List.of());
        for (String file : exampleFiles) {
            String json = reader.apply(file);
            Object type = Json.readObject(json).get("event_type");
            examples.computeIfAbsent(String.valueOf(type), t -> new ArrayList<>()).add(json);
        }
        this.validExamples = Collections.unmodifiableMap(examples);
    }

    /** The schemas inside the topology jar. */
    public static SchemaCatalog fromClasspath() {
        return new SchemaCatalog(file -> Json.resource(CLASSPATH_ROOT + file));
    }

    /** The schemas of a folder laid out like {@code schemas/} in the repository. */
    public static SchemaCatalog fromDirectory(Path dir) {
        return new SchemaCatalog(file -> {
            try {
                return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read schema " + dir.resolve(file), e);
            }
        });
    }

    private static Schema load(Function<String, String> reader, String file) {
        if (file == null) {
            throw new IllegalStateException("catalog.json misses a schema file name");
        }
        try {
            return SchemaLoader.builder()
                    .schemaJson(new JSONObject(reader.apply(file)))
                    .draftV7Support()
                    .enableOverrideOfBuiltInFormatValidators()
                    .addFormatValidator(new Timestamps.DateTimeFormat())
                    .build()
                    .load()
                    .build();
        } catch (RuntimeException e) {
            throw new IllegalStateException("schema " + file + " does not compile: " + e.getMessage(), e);
        }
    }

    public Schema envelope() {
        return envelope;
    }

    public Schema trigger() {
        return trigger;
    }

    public Schema deadLetter() {
        return deadLetter;
    }

    /** The payload schema of an event type, or null for an unknown type. */
    public Schema payload(String eventType) {
        return events.get(eventType);
    }

    /** The catalog's valid examples (JSON) by event type, e.g. to warm up handlers. */
    public Map<String, List<String>> validExamples() {
        return validExamples;
    }

    public Set<String> eventTypes() {
        return events.keySet();
    }
}
