package io.gamecrm.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.json.JSONObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The validator's fast path reads exactly the records the slow path reads without a rejection, into
 * the same tree: over the schema examples, the malformed corpus and records made for the edges
 * (nulls, arrays, numbers at the limits, what may follow the object).
 */
class PlainObjectReaderTest {
    private static final String EVENT = "{\"event_id\":\"28efe333-b266-4103-8752-6757130f9f52\",\"event_type\":\"fight\","
            + "\"player_id\":\"p-1\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"game\":\"g\",\"payload\":%s}";

    static Stream<String> texts() {
        List<String> out = new ArrayList<>();
        for (String dir : List.of("examples/valid", "examples/invalid")) {
            try (Stream<Path> files = Files.list(RepoPaths.schemas().resolve(dir))) {
                files.sorted().forEach(f -> text(read(f), out));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (MalformedCorpus.Entry e : MalformedCorpus.entries()) {
            text(e.value(), out);
        }
        for (String payload : List.of("{}", "{\"a\":null}", "{\"a\":[null,1,\"x\",[],{}]}", "{\"a\":{\"b\":{\"c\":[1.5,-0,0.0]}}}",
                "{\"n\":9007199254740991}", "{\"n\":-9007199254740991}", "{\"n\":9007199254740992}",
                "{\"n\":123456789012345678901234567890}", "{\"n\":1e308}", "{\"n\":1e309}", "{\"n\":-1e400}",
                "{\"n\":[1,2,1e400]}", "{\"n\":2147483648}", "{\"t\":true,\"f\":false}", "{\"a\":1,\"a\":2}",
                "{\"a\":{\"b\":1,\"b\":1}}", "{\"s\":\"\\u00e9\\n\\\"\"}")) {
            out.add(EVENT.formatted(payload));
        }
        String plain = EVENT.formatted("{}");
        out.addAll(List.of(plain + " ", plain + " {}", plain + " x", plain + "]", "[" + plain + "]", "null", "1", "\"s\"",
                "{}", "{\"event_id\":null}", plain.substring(0, plain.length() - 1)));
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("texts")
    void readsWhatTheSlowPathReadsIntoTheSameTree(String text) {
        JSONObject fast = PlainObjectReader.read(EventValidator.READER, text);
        Object slow = EventValidator.slowTree(text);
        if (slow instanceof JSONObject tree) {
            assertThat(fast).as("the fast path reads every record the slow path reads").isNotNull();
            assertThat(fast.similar(tree)).as("same tree: %s vs %s", fast, tree).isTrue();
        } else {
            assertThat(slow).isInstanceOf(ValidationResult.Invalid.class);
            assertThat(fast).as("the fast path leaves what the slow path rejects to it").isNull();
        }
    }

    /** Adds the bytes as text when they are UTF-8 (the validator rejects other bytes before either path). */
    private static void text(byte[] bytes, List<String> out) {
        try {
            out.add(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException notText) {
            // NOT_UTF8
        }
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
