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
    /** The validator itself failed; the record is kept for a later look. */
    INTERNAL_ERROR
}
