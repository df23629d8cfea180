package io.gamecrm.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a command prints during one test: {@code @RegisterExtension final ConsoleCapture console = new
 * ConsoleCapture();} replaces System.out and System.err before each test and puts them back after it.
 */
final class ConsoleCapture implements BeforeEachCallback, AfterEachCallback {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @Override
    public void beforeEach(ExtensionContext context) {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    /** What went to System.out so far. */
    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What went to System.err so far (since the last {@link #resetErr()}). */
    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    void resetErr() {
        err.reset();
    }
}
