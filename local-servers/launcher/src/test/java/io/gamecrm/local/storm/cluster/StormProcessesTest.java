package io.gamecrm.local.storm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recognising worker and LogWriter JVMs by their command lines, as the supervisor builds them. */
class StormProcessesTest {

    private static final String HOME = "-Dstorm.home=/h";
    private static final List<String> WORKER = List.of("/jdk/bin/java", "-server", "-Dlogfile.name=worker.log", HOME,
            "-Dstorm.id=crm-1-1700000000", "-Xmx768m", "-cp", "/h/lib-worker/*:/h/extlib/*:/h/conf:/s/stormjar.jar",
            "org.apache.storm.daemon.worker.Worker", "crm-1-1700000000", "sup-1", "16628", "16700", "worker-uuid");

    @Test
    void recognisesAWorker() {
        assertThat(StormProcesses.parse(42, WORKER, HOME)).contains(
                new StormProcesses.WorkerProcess(42, false, "crm-1-1700000000", 16700, "worker-uuid"));
    }

    @Test
    void recognisesTheLogWriterInFrontOfAWorker() {
        List<String> logWriter = new ArrayList<>(List.of("/jdk/bin/java", "-cp", "/h/lib-worker/*", "-Xmx64m", HOME,
                "org.apache.storm.LogWriter"));
        logWriter.addAll(WORKER);

        assertThat(StormProcesses.parse(41, logWriter, HOME)).contains(
                new StormProcesses.WorkerProcess(41, true, "crm-1-1700000000", 16700, "worker-uuid"));
    }

    @Test
    void workerOfAnOlderTopologyVersionWithoutSupervisorPort() {
        List<String> args = new ArrayList<>(WORKER);
        args.remove("16628");

        assertThat(StormProcesses.parse(7, args, HOME)).hasValueSatisfying(w -> {
            assertThat(w.port()).isEqualTo(16700);
            assertThat(w.topologyId()).isEqualTo("crm-1-1700000000");
        });
    }

    @Test
    void ignoresOtherHomesAndOtherProcesses() {
        assertThat(StormProcesses.parse(1, WORKER, "-Dstorm.home=/other")).isEmpty();
        assertThat(StormProcesses.parse(2, List.of("/jdk/bin/java", HOME, "org.apache.storm.daemon.nimbus.Nimbus"), HOME))
                .isEmpty();
        assertThat(StormProcesses.parse(3, WORKER.subList(0, WORKER.size() - 2), HOME)).isEmpty();
    }

    @Test
    void findsNothingForAHomeWithoutWorkers() {
        assertThat(StormProcesses.find(Path.of("/no/such/storm/home"))).isEmpty();
    }
}
