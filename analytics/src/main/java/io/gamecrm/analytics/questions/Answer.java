package io.gamecrm.analytics.questions;

/**
 * An answer to a question: one sentence for people, the table behind it, and how long it took.
 *
 * @param sentence what the answer says, e.g. "12 players lost at least 3 fights in a row on 2026-11-26"
 */
public record Answer(String question, String sentence, ResultTable table, long millis) {
}
