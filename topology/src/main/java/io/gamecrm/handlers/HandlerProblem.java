package io.gamecrm.handlers;

/**
 * A handler file that could not be used: it does not compile, registers nothing, registers
 * something of the wrong shape, clashes with another file, or throws while loading.
 */
public record HandlerProblem(String file, String version, String reason) {
}
