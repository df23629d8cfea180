package io.gamecrm.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Spec of the stored-profile check:
 * <ul>
 *   <li>a profile within the limits passes unchanged</li>
 *   <li>a value nested too deep, a key too long, a string too long are dropped, the rest kept</li>
 *   <li>too many keys or too many bytes: the largest values go until it fits</li>
 *   <li>something that is not a JSON object becomes an empty profile</li>
 * </ul>
 */
class ProfileHealthTest {
    private static final HandlerLimits LIMITS = HandlerLimits.DEFAULTS;

    static String deep(int levels) {
        return "[".repeat(levels) + "1" + "]".repeat(levels);
    }

    @Test
    void aProfileWithinTheLimitsPasses() {
        assertThat(ProfileHealth.check("{\"logins\":3,\"o\":{\"a\":[1,2]}}", LIMITS)).isNull();
        assertThat(ProfileHealth.check("{}", LIMITS)).isNull();
    }

    @Test
    void aValueNestedTooDeepIsDroppedAndTheRestKept() {
        ProfileHealth.Repair r = ProfileHealth.check("{\"logins\":3,\"deep\":" + deep(1001) + "}", LIMITS);

        assertThat(r.dropped()).containsExactly("deep");
        assertThat(Json.readObject(r.profileJson())).isEqualTo(Map.of("logins", 3));
        assertThat(r.reason()).contains("nested deeper than 8");
    }

    @Test
    void aKeyTooLongIsDropped() {
        ProfileHealth.Repair r = ProfileHealth.check("{\"" + "k".repeat(60_000) + "\":1,\"ok\":2}", LIMITS);

        assertThat(Json.readObject(r.profileJson())).isEqualTo(Map.of("ok", 2));
        assertThat(r.dropped()).singleElement().satisfies(k -> assertThat(k).contains("60000 characters"));
    }

    @Test
    void aHugeStringIsDropped() {
        ProfileHealth.Repair r = ProfileHealth.check("{\"big\":\"" + "x".repeat(16_000_000) + "\",\"ok\":2}", LIMITS);

        assertThat(Json.readObject(r.profileJson())).isEqualTo(Map.of("ok", 2));
    }

    @Test
    void tooManyKeysOrBytesDropTheLargestValuesUntilItFits() {
        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i < 600; i++) {
            many.put("k" + i, i);
        }
        many.put("bulky", "y".repeat(60_000));
        ProfileHealth.Repair r = ProfileHealth.check(Json.write(many), LIMITS);

        Map<String, Object> after = Json.readObject(r.profileJson());
        assertThat(after).hasSizeLessThanOrEqualTo(LIMITS.profileKeys()).doesNotContainKey("bulky");
        assertThat(r.profileJson().length()).isLessThanOrEqualTo(LIMITS.profileBytes());
        assertThat(r.dropped()).contains("bulky");
    }

    @Test
    void somethingThatIsNotAJsonObjectBecomesAnEmptyProfile() {
        for (String broken : new String[] {"[1,2]", "{\"a\":", "not json", "42"}) {
            ProfileHealth.Repair r = ProfileHealth.check(broken, LIMITS);
            assertThat(r.profileJson()).isEqualTo("{}");
            assertThat(r.reason()).contains("not a JSON object");
        }
    }
}
