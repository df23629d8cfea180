package io.gamecrm.validation;

/** Exactly one outcome per record: a valid event or a typed rejection. */
public sealed interface ValidationResult {
    record Valid(ValidEvent event) implements ValidationResult {
    }

    record Invalid(Rejection rejection) implements ValidationResult {
    }
}
