package io.gamecrm.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real child JVMs (tiny mains below): parent watch, fail-fast start-up errors, SIGTERM and SIGKILL. */
@Timeout(60)
class ChildJvmIT {

    @TempDir
    Path tmp;

    /** Prints "up", writes "hook" to args[0] (if given) from a shutdown hook, sleeps forever. */
    public static final class Sleeper {
        public static void main(String[] args) throws Exception {
            if (args.length > 0) {
                Path marker = Path.of(args[0]);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        Files.writeString(marker, "hook");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            System.out.println("up");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** Fails at once. */
    public static final class Crasher {
        public static void main(String[] args) {
            System.err.println("boom: port already taken");
            System.exit(3);
        }
    }

    /** Ignores SIGTERM: its shutdown hook never finishes. */
    public static final class Stubborn {
        public static void main(String[] args) throws Exception {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            System.out.println("up");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private ChildJvm.Spec.Builder spec(String name, Class<?> main, String... args) throws Exception {
        Path testClasses = Path.of(ChildJvmIT.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ChildJvm.Spec.builder(name, main.getName())
                .jvmOptions(List.of("-Xmx32m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"))
                .bootstrapDir(ChildBootstrap.install(tmp.resolve("bootstrap dir")))
                .classpath(List.of(testClasses))
                .args(List.of(args))
                .outFile(tmp.resolve("logs").resolve(name + ".out"))
                .argFile(tmp.resolve("conf dir").resolve(name + ".args"))
                .workDir(tmp);
    }

    @Test
    void childDiesWithItsParentEvenAfterKill9() throws Exception {
        // a stand-in for the launching JVM: detached, so not watched itself
        ChildJvm parent = ChildJvm.start(spec("parent", Sleeper.class).detached().build());
        Path marker = tmp.resolve("marker");
        ChildJvm child = ChildJvm.start(spec("child", Sleeper.class, marker.toString()).parentPid(parent.pid()).build());
        try {
            child.awaitReady(() -> ChildJvm.tail(child.outFile(), 1).contains("up"), Duration.ofSeconds(20));

            ProcessHandle.of(parent.pid()).orElseThrow().destroyForcibly(); // kill -9
            long t0 = System.nanoTime();
            ProcessHandle.of(child.pid()).ifPresent(h -> h.onExit().join());

            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            assertThat(marker).hasContent("hook"); // System.exit ran the child's shutdown hooks
            assertThat(child.outFile()).content().contains("parent process " + parent.pid() + " is gone");
        } finally {
            child.stop(Duration.ofSeconds(5));
            parent.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void startupFailureIsReportedAtOnceWithTheLog() throws Exception {
        ChildJvm child = ChildJvm.start(spec("crasher", Crasher.class).build());
        long t0 = System.nanoTime();

        assertThatThrownBy(() -> child.awaitReady(() -> false, Duration.ofSeconds(30)))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("exited with code 3")
                .hasMessageContaining(child.outFile().toString())
                .hasMessageContaining("boom: port already taken");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void stopSendsSigtermAndFallsBackToSigkill() throws Exception {
        Path marker = tmp.resolve("marker");
        ChildJvm polite = ChildJvm.start(spec("polite", Sleeper.class, marker.toString()).build());
        ChildJvm stubborn = ChildJvm.start(spec("stubborn", Stubborn.class).build());
        polite.awaitReady(() -> ChildJvm.tail(polite.outFile(), 1).contains("up"), Duration.ofSeconds(20));
        stubborn.awaitReady(() -> ChildJvm.tail(stubborn.outFile(), 1).contains("up"), Duration.ofSeconds(20));

        assertThat(polite.stop(Duration.ofSeconds(10))).isTrue();
        assertThat(marker).hasContent("hook");
        assertThat(stubborn.stop(Duration.ofMillis(500))).isFalse();
        assertThat(stubborn.isAlive()).isFalse();
    }

    @Test
    void attachFindsARunningProcessByPid() throws Exception {
        ChildJvm started = ChildJvm.start(spec("sleeper", Sleeper.class).build());
        try {
            ChildJvm attached = ChildJvm.attach("sleeper", started.pid(), started.outFile(), List.of()).orElseThrow();

            assertThat(attached.stop(Duration.ofSeconds(10))).isTrue();
            assertThat(started.isAlive()).isFalse();
            assertThat(ChildJvm.attach("sleeper", started.pid(), started.outFile(), List.of())).isEmpty();
        } finally {
            started.stop(Duration.ofSeconds(5));
        }
    }
}
