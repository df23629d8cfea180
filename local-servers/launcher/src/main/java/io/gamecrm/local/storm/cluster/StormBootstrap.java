package io.gamecrm.local.storm.cluster;

import io.gamecrm.local.ChildBootstrap;
import io.gamecrm.local.ParentWatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * What the daemon JVMs (and the Flux submitter) of a local Storm cluster start with, in
 * {@link StormClusterConfig#bootstrapDir()}:
 * {@code classes/} holds {@link ParentWatch} and {@link WorkerReaper} (first on each daemon's classpath, nothing
 * else), and {@code java} is a script that sets {@code JAVA_HOME} and execs {@code $JAVA_HOME/bin/java}. The
 * supervisor starts its workers with {@code $JAVA_HOME/bin/java} (or plain {@code java} from the PATH when
 * JAVA_HOME is unset), so the script makes every worker run on the daemons' JDK whatever the caller's
 * environment is. {@code exec} keeps the pid. Files are rewritten only when their content changed.
 */
final class StormBootstrap {

    private static final List<Class<?>> CLASSES = List.of(ParentWatch.class, WorkerReaper.class);

    private final Path classesDir;
    private final Path javaScript;

    private StormBootstrap(Path classesDir, Path javaScript) {
        this.classesDir = classesDir;
        this.javaScript = javaScript;
    }

    static StormBootstrap install(Path dir, Path javaHome) {
        try {
            Path classes = dir.resolve("classes");
            ChildBootstrap.installClasses(classes, CLASSES);
            Path script = dir.resolve("java");
            StormHome.writeIfChanged(script, javaScript(javaHome));
            try {
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException e) {
                script.toFile().setExecutable(true);
            }
            return new StormBootstrap(classes, script);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the Storm bootstrap files in " + dir, e);
        }
    }

    static String javaScript(Path javaHome) {
        String home = javaHome.toAbsolutePath().normalize().toString().replace("'", "'\\''");
        return "#!/bin/sh\n"
                + "# " + StormConf.GENERATED + "\n"
                + "# Runs a Storm daemon with JAVA_HOME set, so the supervisor starts its workers on the same JDK.\n"
                + "JAVA_HOME='" + home + "'\n"
                + "export JAVA_HOME\n"
                + "exec \"$JAVA_HOME/bin/java\" \"$@\"\n";
    }

    /** Classpath entry holding ParentWatch and WorkerReaper. */
    Path classesDir() {
        return classesDir;
    }

    /** The java executable to start daemons with. */
    Path javaScript() {
        return javaScript;
    }
}
