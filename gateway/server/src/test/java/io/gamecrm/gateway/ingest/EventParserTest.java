package io.gamecrm.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The request-parsing corpus:
 * <ul>
 *   <li>a single event, a JSON array and NDJSON each yield their events' bytes exactly as received;</li>
 *   <li>each bad item is rejected alone with its typed reason: not JSON (NDJSON line), not an object,
 *       missing / non-string / empty player_id, a duplicated player_id, missing or wrong game, too large;</li>
 *   <li>a body is refused whole when empty, above the body limit, holding too many events, or an
 *       array that is not JSON.</li>
 * </ul>
 */
class EventParserTest {
    private static final String GAME = "tank-wars";
    private final EventParser parser = new EventParser(new Limits(4096, 5, 512));

    private static String event(String player) {
        return "{\"event_id\":\"e-" + player + "\",\"player_id\":\"" + player + "\",\"game\":\"tank-wars\","
                + "\"payload\":{\"player_id\":\"nested is ignored\",\"list\":[1,2,{\"a\":\"}\"}]}}";
    }

    private List<Item> parse(String body, BodyFormat format) {
        return parser.parse(body.getBytes(StandardCharsets.UTF_8), format, GAME);
    }

    private static String text(Item i) {
        return new String(i.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aSingleEventKeepsItsBytesAndItsPlayerIdIsTheKey() {
        List<Item> items = parse("  " + event("bob") + "\n", BodyFormat.JSON);
        assertThat(items).hasSize(1);
        assertThat(items.get(0).valid()).isTrue();
        assertThat(items.get(0).playerId()).isEqualTo("bob");
        assertThat(items.get(0).eventId()).isEqualTo("e-bob");
        assertThat(text(items.get(0))).isEqualTo(event("bob"));
    }

    @Test
    void anArrayYieldsEachEventsBytesAsReceivedInOrder() {
        String a = event("alice");
        String b = "{ \"player_id\" : \"bob\",\n  \"game\":\"tank-wars\" , \"x\": 1.50 }";
        List<Item> items = parse("[" + a + " ,\n" + b + "]", BodyFormat.JSON);
        assertThat(items).extracting(Item::playerId).containsExactly("alice", "bob");
        assertThat(text(items.get(0))).isEqualTo(a);
        assertThat(text(items.get(1))).isEqualTo(b);
    }

    @Test
    void ndjsonYieldsOneEventPerLineAndSkipsBlankLines() {
        List<Item> items = parse(event("a") + "\r\n\n" + event("b") + "\n", BodyFormat.NDJSON);
        assertThat(items).extracting(Item::playerId).containsExactly("a", "b");
        assertThat(text(items.get(0))).isEqualTo(event("a"));
    }

    @Test
    void anNdjsonLineThatIsNotJsonIsRejectedAlone() {
        List<Item> items = parse(event("a") + "\n{\"player_id\":\"b\",\n" + event("c"), BodyFormat.NDJSON);
        assertThat(items).extracting(Item::reason).containsExactly(null, RejectReason.NOT_JSON, null);
    }

    @Test
    void anNdjsonLineWithTwoValuesIsNotJson() {
        assertThat(parse(event("a") + " " + event("b"), BodyFormat.NDJSON).get(0).reason()).isEqualTo(RejectReason.NOT_JSON);
    }

    @Test
    void aSingleBodyThatIsNotJsonIsRejectedAsNotJson() {
        assertThat(parse("hello", BodyFormat.JSON).get(0).reason()).isEqualTo(RejectReason.NOT_JSON);
        assertThat(parse("{\"player_id\":\"a\"", BodyFormat.JSON).get(0).reason()).isEqualTo(RejectReason.NOT_JSON);
        assertThat(parse(event("a") + "}", BodyFormat.JSON).get(0).reason()).isEqualTo(RejectReason.NOT_JSON);
    }

    @Test
    void anArrayThatIsNotJsonIsRefusedWhole() {
        assertThatThrownBy(() -> parse("[" + event("a") + ",{\"player_id\":]", BodyFormat.JSON))
                .isInstanceOfSatisfying(RequestRefused.class, r -> assertThat(r.error()).isEqualTo(RequestError.NOT_JSON));
        assertThatThrownBy(() -> parse("[" + event("a"), BodyFormat.JSON))
                .isInstanceOfSatisfying(RequestRefused.class, r -> assertThat(r.error()).isEqualTo(RequestError.NOT_JSON));
        assertThatThrownBy(() -> parse("[" + event("a") + "] x", BodyFormat.JSON))
                .isInstanceOfSatisfying(RequestRefused.class, r -> assertThat(r.error()).isEqualTo(RequestError.NOT_JSON));
    }

    @Test
    void anArrayOfNonObjectsRejectsEachItemAsNotAnObject() {
        List<Item> items = parse("[1, \"x\", [2], null, " + event("a") + "]", BodyFormat.JSON);
        assertThat(items).extracting(Item::reason).containsExactly(RejectReason.NOT_AN_OBJECT, RejectReason.NOT_AN_OBJECT,
                RejectReason.NOT_AN_OBJECT, RejectReason.NOT_AN_OBJECT, null);
        assertThat(parse("42", BodyFormat.JSON).get(0).reason()).isEqualTo(RejectReason.NOT_AN_OBJECT);
    }

    @Test
    void aMissingNonStringOrEmptyPlayerIdIsRejectedWithItsReason() {
        List<Item> items = parse("[{\"game\":\"tank-wars\"},{\"player_id\":42,\"game\":\"tank-wars\"},"
                + "{\"player_id\":{\"id\":\"a\"},\"game\":\"tank-wars\"},{\"player_id\":\" \",\"game\":\"tank-wars\"}]",
                BodyFormat.JSON);
        assertThat(items).extracting(Item::reason).containsExactly(RejectReason.MISSING_PLAYER_ID,
                RejectReason.PLAYER_ID_NOT_STRING, RejectReason.PLAYER_ID_NOT_STRING, RejectReason.EMPTY_PLAYER_ID);
        assertThat(items.get(1).detail()).contains("a number");
    }

    @Test
    void aPlayerIdGivenTwiceIsRejected() {
        assertThat(parse("{\"player_id\":\"a\",\"game\":\"tank-wars\",\"player_id\":\"b\"}", BodyFormat.JSON).get(0).reason())
                .isEqualTo(RejectReason.DUPLICATE_FIELD);
    }

    @Test
    void anEventOfAnotherGameOrOfNoGameIsRejected() {
        List<Item> items = parse("[{\"player_id\":\"a\",\"game\":\"space-race\"},{\"player_id\":\"a\"},"
                + "{\"player_id\":\"a\",\"game\":7}]", BodyFormat.JSON);
        assertThat(items).extracting(Item::reason).containsExactly(RejectReason.WRONG_GAME, RejectReason.MISSING_GAME,
                RejectReason.MISSING_GAME);
        assertThat(items.get(0).detail()).contains("space-race", "tank-wars");
    }

    @Test
    void anEventAboveThePerEventLimitIsRejectedAsTooLarge() {
        String big = "{\"player_id\":\"a\",\"game\":\"tank-wars\",\"pad\":\"" + "x".repeat(600) + "\"}";
        List<Item> items = parse("[" + big + "," + event("b") + "]", BodyFormat.JSON);
        assertThat(items).extracting(Item::reason).containsExactly(RejectReason.EVENT_TOO_LARGE, null);
        assertThat(parse(big, BodyFormat.JSON).get(0).reason()).isEqualTo(RejectReason.EVENT_TOO_LARGE);
        assertThat(parse(big, BodyFormat.NDJSON).get(0).reason()).isEqualTo(RejectReason.EVENT_TOO_LARGE);
    }

    @Test
    void anEmptyBodyOrAnEmptyBatchIsRefused() {
        for (String body : List.of("", "  \n ", "[]", "[ ]")) {
            assertThatThrownBy(() -> parse(body, BodyFormat.JSON)).as(body)
                    .isInstanceOfSatisfying(RequestRefused.class, r -> assertThat(r.error()).isEqualTo(RequestError.EMPTY_BODY));
        }
        assertThatThrownBy(() -> parse("\n\n", BodyFormat.NDJSON)).isInstanceOf(RequestRefused.class);
    }

    @Test
    void aHugeBodyIsRefusedAsTooLarge() {
        String huge = "[" + (event("a") + ",").repeat(40) + event("a") + "]";
        assertThatThrownBy(() -> parse(huge, BodyFormat.JSON))
                .isInstanceOfSatisfying(RequestRefused.class, r -> assertThat(r.error()).isEqualTo(RequestError.BODY_TOO_LARGE));
    }

    @Test
    void moreEventsThanTheBatchLimitAreRefused() {
        String six = "[" + (event("a") + ",").repeat(5) + event("a") + "]";
        assertThatThrownBy(() -> parse(six, BodyFormat.JSON))
                .isInstanceOfSatisfying(RequestRefused.class, r -> assertThat(r.error()).isEqualTo(RequestError.TOO_MANY_EVENTS));
        assertThatThrownBy(() -> parse(six.substring(1, six.length() - 1).replace("},{", "}\n{"), BodyFormat.NDJSON))
                .isInstanceOfSatisfying(RequestRefused.class, r -> assertThat(r.error()).isEqualTo(RequestError.TOO_MANY_EVENTS));
    }

    @Test
    void deepNestingIsNotJson() {
        String deep = "{\"player_id\":\"a\",\"game\":\"tank-wars\",\"x\":" + "[".repeat(100) + "]".repeat(100) + "}";
        assertThat(parse(deep, BodyFormat.JSON).get(0).reason()).isEqualTo(RejectReason.NOT_JSON);
    }

    @Test
    void contentTypesMapToFormats() {
        assertThat(BodyFormat.of("application/json; charset=utf-8")).contains(BodyFormat.JSON);
        assertThat(BodyFormat.of("Application/X-NDJSON")).contains(BodyFormat.NDJSON);
        assertThat(BodyFormat.of("text/plain")).isEmpty();
        assertThat(BodyFormat.of(null)).isEmpty();
    }
}
