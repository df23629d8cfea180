package io.gamecrm.validation;

/** Why a raw record was refused. Mirrored by the enum of schemas/dead-letter.schema.json. */
public enum InvalidReason {
    /** The record has no value (null or zero bytes). */
    EMPTY_RECORD,
    /** The value is larger than crm.event.max.bytes. */
    TOO_LARGE,
    /** The value is not valid UTF-8 text. */
    NOT_UTF8,
    /** The value is not JSON. */
    NOT_JSON,
    /** The value is JSON but not an object. */
    NOT_AN_OBJECT,
    /** The envelope or the payload breaks its schema. */
    SCHEMA_VIOLATION,
    /** No payload schema exists for the event_type. */
    UNKNOWN_EVENT_TYPE,
    /** The same name appears twice in one JSON object (which value counts is not defined by JSON). */
    DUPLICATE_KEY,
    /**
     * A number that the handlers cannot read as it was written: it overflows a double (1e400), or it
     * is an integer beyond ±2^53, which JavaScript cannot hold exactly.
     */
    NUMBER_OUT_OF_RANGE,
    /** The Kafka record has no key; the raw topic's key must be the event's player_id. */
    MISSING_KEY,
    /**
     * The Kafka record's key is not the event's player_id: per-player order and exactly-once effects
     * rest on all of a player's events sharing one partition.
     */
    KEY_MISMATCH,
    /** The validator itself failed (a bug of this project, never a property of the input); the record is kept for a later look. */
    INTERNAL_ERROR
}
