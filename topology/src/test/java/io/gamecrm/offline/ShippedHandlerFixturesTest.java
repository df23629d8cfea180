package io.gamecrm.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.RepoPaths;
import io.gamecrm.handlers.HandlerDirectory;
import io.gamecrm.handlers.HandlerSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fixture of handlers-js/tests passes against handlers-js/, and together they cover every shipped handler. */
class ShippedHandlerFixturesTest {
    static Stream<Path> fixtures() throws IOException {
        try (Stream<Path> s = Files.list(RepoPaths.handlers().resolve("tests"))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixturePasses(Path file) throws IOException {
        Fixture fixture = Fixture.read(file);

        List<String> mismatches = fixture.mismatches(fixture.run(RepoPaths.handlers()));

        assertThat(mismatches).as(fixture.description()).isEmpty();
    }

    @Test
    void everyShippedHandlerHasAFixture() throws IOException {
        Set<String> shipped = HandlerSet.compile(HandlerDirectory.read(RepoPaths.handlers())).set().handlers().stream()
                .map(HandlerSet.Handler::name).collect(Collectors.toSet());
        Set<String> covered = new HashSet<>();
        for (Path f : fixtures().toList()) {
            covered.addAll(Fixture.read(f).handlers());
        }
        assertThat(covered).containsAll(shipped);
        assertThat(shipped).isNotEmpty();
    }

    @Test
    void aFixtureThatExpectsTheWrongThingFails() throws IOException {
        Fixture good = Fixture.read(RepoPaths.handlers().resolve("tests/three-losses-bring-tanks.json"));
        Fixture wrong = new Fixture(good.name(), good.description(), good.handlers(), good.profiles(),
                good.events().subList(0, 4), good.expect());

        assertThat(wrong.mismatches(wrong.run(RepoPaths.handlers()))).isNotEmpty();
    }
}
