package io.gamecrm.gateway.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.gamecrm.gateway.GatewayNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a request body into its events without changing a byte of them, and checks the little
 * the gateway checks: each event is a JSON object, of at most the per-event size, with a non-empty
 * string {@code player_id} (the Kafka key) and the API key's {@code game}. Schema validation stays
 * in the topology.
 *
 * <p>A JSON body is one object (a single event) or an array of objects (a batch); an array that is
 * not valid JSON is refused whole, since its items cannot be told apart. An NDJSON body has one
 * event per line; a line that is not JSON is rejected alone. Jackson's streaming parser reads the
 * body once, with {@link StreamReadConstraints} bounding nesting and string lengths.
 */
public final class EventParser {
    private static final int MAX_NESTING = 64;

    private final Limits limits;
    private final JsonFactory json;

    public EventParser(Limits limits) {
        this.limits = limits;
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING)
                        .maxStringLength(limits.maxEventBytes())
                        .maxNameLength(limits.maxEventBytes())
                        .maxNumberLength(1000)
                        .build())
                .build();
    }

    public Limits limits() {
        return limits;
    }

    /**
     * The events of {@code body}, in order, each valid or rejected with a reason.
     *
     * @throws RequestRefused when the body as a whole is refused (empty, too large, too many events, not JSON)
     */
    public List<Item> parse(byte[] body, BodyFormat format, String game) {
        if (body.length > limits.maxBodyBytes()) {
            throw new RequestRefused(RequestError.BODY_TOO_LARGE, "the body has " + body.length + " bytes, at most "
                    + limits.maxBodyBytes() + " are accepted");
        }
        int start = skipWhitespace(body, 0, body.length);
        if (start == body.length) {
            throw new RequestRefused(RequestError.EMPTY_BODY, "the body is empty");
        }
        List<Item> items = format == BodyFormat.NDJSON ? lines(body, game) : body[start] == '[' ? array(body, game)
                : List.of(single(body, start, game));
        if (items.isEmpty()) {
            throw new RequestRefused(RequestError.EMPTY_BODY, "the body holds no event");
        }
        return items;
    }

    private Item single(byte[] body, int start, String game) {
        int end = trimEnd(body, start, body.length);
        if (end - start > limits.maxEventBytes()) {
            return Item.rejected(0, new byte[0], null, RejectReason.EVENT_TOO_LARGE, "the event has " + (end - start)
                    + " bytes, at most " + limits.maxEventBytes() + " are accepted");
        }
        return oneValue(body, start, end, 0, game);
    }

    private List<Item> array(byte[] body, String game) {
        List<Item> items = new ArrayList<>();
        try (JsonParser p = json.createParser(body)) {
            p.nextToken(); // START_ARRAY
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new RequestRefused(RequestError.NOT_JSON, "the array is not closed");
                }
                int index = items.size();
                if (index >= limits.maxEvents()) {
                    throw new RequestRefused(RequestError.TOO_MANY_EVENTS, "more than " + limits.maxEvents()
                            + " events in one request");
                }
                int from = (int) p.currentTokenLocation().getByteOffset();
                if (t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    items.add(Item.rejected(index, slice(body, from, (int) p.currentLocation().getByteOffset()), null,
                            RejectReason.NOT_AN_OBJECT, "item " + index + " is " + describe(t) + ", not an object"));
                    continue;
                }
                Fields f = fields(p);
                int to = (int) p.currentLocation().getByteOffset();
                items.add(check(index, body, from, to, f, game));
            }
            if (p.nextToken() != null) {
                throw new RequestRefused(RequestError.NOT_JSON, "content after the array");
            }
        } catch (JsonProcessingException e) {
            throw new RequestRefused(RequestError.NOT_JSON, "the body is not a JSON array of events: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return items;
    }

    private List<Item> lines(byte[] body, String game) {
        List<Item> items = new ArrayList<>();
        int lineStart = 0;
        while (lineStart < body.length) {
            int nl = indexOf(body, (byte) '\n', lineStart);
            int lineEnd = nl < 0 ? body.length : nl;
            int from = skipWhitespace(body, lineStart, lineEnd);
            int to = trimEnd(body, from, lineEnd);
            if (from < to) {
                int index = items.size();
                if (index >= limits.maxEvents()) {
                    throw new RequestRefused(RequestError.TOO_MANY_EVENTS, "more than " + limits.maxEvents()
                            + " events in one request");
                }
                items.add(to - from > limits.maxEventBytes()
                        ? Item.rejected(index, new byte[0], null, RejectReason.EVENT_TOO_LARGE, "line " + (index + 1)
                                + " has " + (to - from) + " bytes, at most " + limits.maxEventBytes() + " are accepted")
                        : oneValue(body, from, to, index, game));
            }
            lineStart = lineEnd + 1;
        }
        return items;
    }

    /** The item held by body[from, to), which must be exactly one JSON object. */
    private Item oneValue(byte[] body, int from, int to, int index, String game) {
        try (JsonParser p = json.createParser(body, from, to - from)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                if (p.nextToken() != null) {
                    throw new JsonParseFailure("more than one JSON value");
                }
                return Item.rejected(index, slice(body, from, to), null, RejectReason.NOT_AN_OBJECT,
                        "event " + index + " is " + describe(t) + ", not an object");
            }
            Fields f = fields(p);
            if (p.nextToken() != null) {
                throw new JsonParseFailure("content after the event's closing brace");
            }
            return check(index, body, from, to, f, game);
        } catch (JsonProcessingException | JsonParseFailure e) {
            String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            return Item.rejected(index, slice(body, from, to), null, RejectReason.NOT_JSON, "event " + index
                    + " is not JSON: " + msg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The top-level fields the gateway reads, from an object whose START_OBJECT is the current token. */
    private static Fields fields(JsonParser p) throws IOException {
        Fields f = new Fields();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case GatewayNames.FIELD_PLAYER_ID -> {
                    f.duplicate |= f.playerSeen;
                    f.playerSeen = true;
                    f.player = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    f.playerType = v;
                }
                case GatewayNames.FIELD_GAME -> {
                    f.duplicate |= f.gameSeen;
                    f.gameSeen = true;
                    f.game = v == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                case GatewayNames.FIELD_EVENT_ID -> f.eventId = v == JsonToken.VALUE_STRING ? p.getText() : null;
                default -> {
                }
            }
            p.skipChildren();
        }
        return f;
    }

    private Item check(int index, byte[] body, int from, int to, Fields f, String game) {
        if (to - from > limits.maxEventBytes()) {
            return Item.rejected(index, new byte[0], f.eventId, RejectReason.EVENT_TOO_LARGE, "event " + index + " has "
                    + (to - from) + " bytes, at most " + limits.maxEventBytes() + " are accepted");
        }
        byte[] bytes = slice(body, from, to);
        if (f.duplicate) {
            return Item.rejected(index, bytes, f.eventId, RejectReason.DUPLICATE_FIELD, "event " + index
                    + " has player_id or game more than once");
        }
        if (!f.playerSeen) {
            return Item.rejected(index, bytes, f.eventId, RejectReason.MISSING_PLAYER_ID, "event " + index
                    + " has no player_id");
        }
        if (f.player == null) {
            return Item.rejected(index, bytes, f.eventId, RejectReason.PLAYER_ID_NOT_STRING, "event " + index
                    + "'s player_id is " + describe(f.playerType) + ", not a string");
        }
        if (f.player.isBlank()) {
            return Item.rejected(index, bytes, f.eventId, RejectReason.EMPTY_PLAYER_ID, "event " + index
                    + "'s player_id is empty");
        }
        if (f.game == null) {
            return Item.rejected(index, bytes, f.eventId, RejectReason.MISSING_GAME, "event " + index
                    + " has no game (a string): this key sends events of " + game);
        }
        if (!f.game.equals(game)) {
            return Item.rejected(index, bytes, f.eventId, RejectReason.WRONG_GAME, "event " + index + " claims game '"
                    + f.game + "', this key sends events of " + game);
        }
        return Item.valid(index, bytes, f.player, f.eventId);
    }

    private static final class Fields {
        String player;
        JsonToken playerType;
        boolean playerSeen;
        String game;
        boolean gameSeen;
        String eventId;
        boolean duplicate;
    }

    /** A body that parses as JSON, but not as exactly one value. */
    private static final class JsonParseFailure extends RuntimeException {
        JsonParseFailure(String message) {
            super(message, null, false, false);
        }
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static byte[] slice(byte[] body, int from, int to) {
        return from == 0 && to == body.length ? body : Arrays.copyOfRange(body, from, to);
    }

    private static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    private static boolean whitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static int skipWhitespace(byte[] b, int from, int to) {
        int i = from;
        while (i < to && whitespace(b[i])) {
            i++;
        }
        return i;
    }

    private static int trimEnd(byte[] b, int from, int to) {
        int i = to;
        while (i > from && whitespace(b[i - 1])) {
            i--;
        }
        return i;
    }
}
