package io.gamecrm.cli.traffic;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The seed's story, told inside the traffic: Bob logs in, wins twice, then loses three fights in a
 * row, then logs in again. The third loss should bring him the battle-tanks offer.
 */
public final class BobStory {
    public static final String PLAYER = "bob";

    private BobStory() {
    }

    /** One step of the story: what Bob does. */
    public record Step(String description, String type, String result) {
    }

    public static final List<Step> STEPS = List.of(
            new Step("Bob logs in", "login", null),
            new Step("Bob wins a fight", "fight", "won"),
            new Step("Bob wins a fight", "fight", "won"),
            new Step("Bob loses a fight (1 in a row)", "fight", "lost"),
            new Step("Bob loses a fight (2 in a row)", "fight", "lost"),
            new Step("Bob loses a fight (3 in a row)", "fight", "lost"),
            new Step("Bob logs in again", "login", null));

    /** The JSON of a step, timestamped {@code at}, with a fresh event id. */
    public static String json(Step step, String player, Instant at, Supplier<String> eventIds) {
        String id = eventIds.get();
        return "login".equals(step.type()) ? GameTraffic.login(id, player, at, "android")
                : GameTraffic.fight(id, player, at, step.result(), "player", "alice");
    }
}
