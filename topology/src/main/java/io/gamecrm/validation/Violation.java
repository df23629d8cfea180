package io.gamecrm.validation;

/** One broken schema rule: where in the event, what rule, where the rule lives in its schema. */
public record Violation(String pointer, String message, String keyword, String schemaPath) {
}
