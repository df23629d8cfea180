package io.gamecrm.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.json.Json;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spec of the event handover (shape + values, built as a frozen literal in the file's global):
 * <ul>
 *   <li>a handler sees the same event as from its JSON: same members in the same order, same values,
 *       arrays and nested objects included, every object and array frozen</li>
 *   <li>events with keys that are not plain identifiers (or repeat, or name __proto__) go over as
 *       JSON and are seen the same way</li>
 *   <li>numbers read the same as from the event's JSON (type, sign, value)</li>
 * </ul>
 */
class EventHandoverTest {
    private static final String FIGHT = "{\"event_id\":\"e-1\",\"event_type\":\"fight\",\"player_id\":\"p-1\","
            + "\"timestamp\":\"2026-12-01T10:00:00Z\",\"payload\":{\"result\":\"lost\",\"duration_s\":93,"
            + "\"ratio\":0.25,\"big\":123456789012345,\"tiny\":1e-7,\"ok\":true,\"no\":false,\"none\":null,"
            + "\"items\":[{\"id\":\"a\",\"n\":[1,2]},\"x\",[]],\"empty\":{},\"deep\":{\"a\":{\"b\":{\"c\":\"\\n\\u00e9\\\"\"}}}},"
            + "\"game\":\"tanks\"}";

    /** A handler that writes what it saw: the event as JSON, its key order and what is frozen. */
    private static final String SEE = "crm.handler({name: 'see', on: ['*'], writes: ['seen', 'order', 'frozen'],"
            + " update: function (e, p) {"
            + "  p.set('seen', JSON.stringify(e));"
            + "  p.set('order', Object.keys(e).join(',') + '|' + Object.keys(e.payload).join(','));"
            + "  function frozen(x) { return x === null || typeof x !== 'object' || (Object.isFrozen(x)"
            + "    && Object.keys(x).every(function (k) { return frozen(x[k]); })); }"
            + "  p.set('frozen', frozen(e));"
            + "}});";

    private static Map<String, Object> seen(String eventJson) {
        HandlerSet.Compilation c = HandlerSet.compile(List.of(HandlerFile.of("see.js", SEE)));
        assertThat(c.problems()).isEmpty();
        HandlerOutcome out = c.set().process("fight", 0, eventJson, null);
        assertThat(out.failures()).isEmpty();
        return out.changes();
    }

    @Test
    void aHandlerSeesTheEventAsItsJsonSaysFrozenThroughout() {
        assertThat(EventHandover.of(FIGHT).shape()).startsWith("[\"event_id\",\"event_type\"");

        Map<String, Object> seen = seen(FIGHT);

        assertThat(Json.readObject((String) seen.get("seen"))).isEqualTo(Json.readObject(FIGHT));
        assertThat(seen.get("order")).isEqualTo("event_id,event_type,player_id,timestamp,payload,game|"
                + "result,duration_s,ratio,big,tiny,ok,no,none,items,empty,deep");
        assertThat(seen.get("frozen")).isEqualTo(true);
    }

    @Test
    void valuesGoOverAsTheRuntimesJsonParseReadsThem() {
        Object[] v = EventHandover.of(FIGHT).values();
        assertThat(v[0]).as("the free slot for the shape's number").isNull();
        assertThat(Arrays.asList(v).subList(1, v.length)).containsSubsequence("lost", 93, 0.25, 123456789012345.0, 1e-7,
                true, false);
        assertThat(Arrays.asList(v)).contains("[{\"id\":\"a\",\"n\":[1,2]},\"x\",[]]");
    }

    /** What a handler reads of numbers (their type, sign, value) is the same by either way over. */
    @ParameterizedTest
    @ValueSource(strings = {"-0", "0", "-1", "2147483647", "2147483648", "-2147483649", "9007199254740991", "1.0",
        "1e2", "-0.0", "0.1", "1e-320", "1.7976931348623157e308", "123456789012345678"})
    void aNumberReadsTheSameEitherWayOver(String number) {
        String see = "crm.handler({name: 'num', on: ['*'], writes: ['n'], update: function (e, p) {"
                + " var z = e.payload.z; p.set('n', typeof z + ' ' + (1 / z) + ' ' + z + ' ' + (z === Math.floor(z))); }});";
        HandlerSet set = HandlerSet.compile(List.of(HandlerFile.of("num.js", see))).set();
        String plain = "{\"event_type\":\"fight\",\"payload\":{\"z\":" + number + "}}";
        String viaJson = "{\"event_type\":\"fight\",\"payload\":{\"z\":" + number + ",\"a-b\":1}}";
        assertThat(EventHandover.of(plain)).isNotNull();
        assertThat(EventHandover.of(viaJson)).isNull();
        Object a = set.process("fight", 0, plain, null).changes().get("n");
        Object b = set.process("fight", 0, viaJson, null).changes().get("n");
        assertThat(a).isNotNull().isEqualTo(b);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"event_type\":\"fight\",\"payload\":{\"a-b\":1,\"items\":[1],\"empty\":{},\"deep\":{\"a\":{\"b\":{}}}}}",
        "{\"event_type\":\"fight\",\"payload\":{\"__proto__\":{\"x\":1},\"items\":[],\"empty\":{},\"deep\":{\"a\":{\"b\":1}}}}",
        "{\"event_type\":\"fight\",\"payload\":{\"1\":2,\"items\":[],\"empty\":{},\"deep\":{\"a\":{\"b\":1}}}}"
    })
    void eventsWithoutAPlainShapeGoOverAsJsonAndAreSeenTheSame(String json) {
        assertThat(EventHandover.of(json)).isNull();

        Map<String, Object> seen = seen(json);

        assertThat(Json.readObject((String) seen.get("seen"))).isEqualTo(Json.readObject(json));
        assertThat(seen.get("frozen")).isEqualTo(true);
    }

    @Test
    void repeatedKeysAndNonObjectsGoOverAsJson() {
        assertThat(EventHandover.of("{\"a\":1,\"a\":2}")).isNull();
        assertThat(EventHandover.of("[1,2]")).isNull();
        assertThat(EventHandover.of("{\"a\":1} {}")).isNull();
        assertThat(EventHandover.of("{\"a\":")).isNull();
    }

    @Test
    void eventsOfManyShapesAreAllSeenAsTheirJsonSays() {
        // more shapes than a set numbers (256): the later ones go over as JSON
        HandlerSet set = HandlerSet.compile(List.of(HandlerFile.of("see.js", SEE))).set();
        for (int i = 0; i < 300; i++) {
            String json = "{\"event_type\":\"fight\",\"k" + i + "\":" + i + ",\"payload\":{\"items\":[" + i + "]}}";
            HandlerOutcome out = set.process("fight", 0, json, null);
            assertThat(out.failures()).isEmpty();
            assertThat(Json.readObject((String) out.changes().get("seen"))).isEqualTo(Json.readObject(json));
            assertThat(out.changes().get("frozen")).isEqualTo(true);
        }
    }

    @Test
    void theShapeOfNestedAndEmptyObjectsIsWrittenOut() {
        EventHandover h = EventHandover.of("{\"a\":{},\"b\":{\"c\":1,\"d\":{\"e\":[ 2 ]}},\"f\":\"g\\u0041\"}");
        assertThat(h.shape()).isEqualTo("[[\"a\"],[\"b\",\"c\",[\"d\",\"*e\"]],\"f\"]");
        assertThat(h.values()).containsExactly(null, 1, "[ 2 ]", "gA");
    }
}
