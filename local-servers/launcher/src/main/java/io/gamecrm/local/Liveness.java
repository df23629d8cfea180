package io.gamecrm.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Decides whether a server recorded in the state file is still there and usable. */
final class Liveness {

    /** What a state-file entry turned out to be. */
    enum State {
        /** Process alive, is our server, and its port speaks the server's protocol: reuse it. */
        RUNNING,
        /** Our server's process is alive but its port does not answer (still starting, or wedged). */
        NOT_SERVING,
        /** The process is gone: a stale entry. */
        GONE,
        /** The pid now belongs to an unrelated process (pid reuse): a stale entry. */
        FOREIGN
    }

    /** Access to processes and ports; replaced in tests. */
    interface Probe {
        boolean isAlive(long pid);

        /** The process's command line, if the OS tells. */
        Optional<String> commandLine(long pid);

        boolean isServing(Server server, int port);
    }

    /** The real processes and ports of this machine. */
    static final Probe SYSTEM = new Probe() {
        @Override
        public boolean isAlive(long pid) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }

        @Override
        public Optional<String> commandLine(long pid) {
            // the JDK truncates command lines at 4 KB on Linux, so read /proc directly where there is one
            Path proc = Path.of("/proc", Long.toString(pid), "cmdline");
            try {
                if (Files.isReadable(proc)) {
                    return Optional.of(new String(Files.readAllBytes(proc), StandardCharsets.UTF_8)
                            .replace('\0', ' ').trim());
                }
            } catch (IOException e) {
                // process gone or not readable: fall back to the JDK
            }
            return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine());
        }

        @Override
        public boolean isServing(Server server, int port) {
            return NetProbes.isServing(server, StackConfig.HOST, port);
        }
    };

    private Liveness() {
    }

    static State assess(StateFile.Entry entry, Probe probe) {
        if (!probe.isAlive(entry.pid())) {
            return State.GONE;
        }
        Optional<String> cmd = probe.commandLine(entry.pid());
        if (cmd.isPresent() && !isOurServer(entry.server(), cmd.get())) {
            return State.FOREIGN;
        }
        return probe.isServing(entry.server(), entry.port()) ? State.RUNNING : State.NOT_SERVING;
    }

    /** True if a command line is that of a server child started by this launcher. */
    static boolean isOurServer(Server server, String commandLine) {
        return commandLine.contains(ParentWatch.class.getName() + " ")
                && commandLine.contains(" " + server.mainClass());
    }
}
