package io.gamecrm.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class CassandraNodeTest {

    private final StackConfig cfg = StackConfig.at(Path.of("/tmp/it's crm"))
            .withPorts(new StackConfig.Ports(19092, 19093, 29042, 27000, 27199));

    @Test
    @SuppressWarnings("unchecked")
    void yamlDescribesASingleLocalNode() {
        Map<String, Object> y = new Yaml().load(CassandraNode.cassandraYaml(cfg));

        assertThat(y).containsEntry("cluster_name", "crm-local")
                .containsEntry("num_tokens", 1)
                .containsEntry("initial_token", 0)
                .containsEntry("partitioner", "org.apache.cassandra.dht.Murmur3Partitioner")
                .containsEntry("listen_address", "127.0.0.1")
                .containsEntry("rpc_address", "127.0.0.1")
                .containsEntry("storage_port", 27000)
                .containsEntry("native_transport_port", 29042)
                .containsEntry("start_native_transport", true)
                .containsEntry("endpoint_snitch", "SimpleSnitch")
                .containsEntry("commitlog_sync", "periodic")
                .containsEntry("commitlog_sync_period", "10000ms")
                .containsEntry("auto_snapshot", false)
                .containsEntry("batch_size_warn_threshold", "50KiB")
                .containsEntry("unlogged_batch_across_partitions_warn_threshold", 1000)
                .containsEntry("data_file_directories", List.of("/tmp/it's crm/cassandra/data"))
                .containsEntry("commitlog_directory", "/tmp/it's crm/cassandra/commitlog")
                .containsEntry("saved_caches_directory", "/tmp/it's crm/cassandra/saved_caches")
                .containsEntry("hints_directory", "/tmp/it's crm/cassandra/hints")
                .containsEntry("cdc_raw_directory", "/tmp/it's crm/cassandra/cdc_raw");
        List<Map<String, Object>> seeds = (List<Map<String, Object>>) y.get("seed_provider");
        assertThat(seeds).singleElement().satisfies(s -> {
            assertThat(s).containsEntry("class_name", "org.apache.cassandra.locator.SimpleSeedProvider");
            assertThat((List<Map<String, Object>>) s.get("parameters"))
                    .containsExactly(Map.of("seeds", "127.0.0.1:27000"));
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSecuredNodeAuthenticatesAndAuthorizesItsRoles() {
        StackConfig secured = cfg.withSecurity(StackSecurity.of(new StackSecurity.Credentials("crm", "k-secret"),
                new StackSecurity.Credentials("crm_app", "c-secret"), "store-pw"));
        Map<String, Object> y = new Yaml().load(CassandraNode.cassandraYaml(secured));
        Map<String, Object> plain = new Yaml().load(CassandraNode.cassandraYaml(cfg));

        assertThat(y).containsEntry("authenticator", "PasswordAuthenticator")
                .containsEntry("authorizer", "CassandraAuthorizer");
        assertThat(plain).doesNotContainKeys("authenticator", "authorizer");
        assertThat(CassandraNode.loginRoleStatements(new StackSecurity.Credentials("crm_app", "c-secret")))
                .containsExactly("CREATE ROLE IF NOT EXISTS crm_app WITH PASSWORD = 'c-secret' AND LOGIN = true "
                                + "AND SUPERUSER = false",
                        "GRANT ALL PERMISSIONS ON ALL KEYSPACES TO crm_app");
        assertThat(CassandraNode.passwordStatement(new StackSecurity.Credentials("crm_app", "c-secret")))
                .isEqualTo("ALTER ROLE crm_app WITH PASSWORD = 'c-secret'");
    }

    @Test
    void credentialsAreLimitedToCharactersThatNeedNoQuoting() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new StackSecurity.Credentials("crm", "it's"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new StackSecurity.Credentials("", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("username");
        assertThat(new StackSecurity.Credentials("crm", "s3cr3t!").toString()).doesNotContain("s3cr3t");
    }

    @Test
    void jvmOptionsForJava17AndAQuickDevNode() {
        List<String> o = CassandraNode.jvmOptions(cfg, Path.of("/c/cassandra.yaml"), Path.of("/c/logback.xml"));

        assertThat(o).contains("-Xms256m", "-Xmx1g", "-Dcassandra.config=file:///c/cassandra.yaml",
                "-Dcassandra-foreground=yes", "-Dlogback.configurationFile=file:///c/logback.xml",
                "-Dcassandra.jmx.local.port=27199", "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                "-Dcassandra.unsafesystem=true", "-Dcassandra.triggers_dir=/tmp/it's crm/cassandra/triggers",
                "-Djna.tmpdir=/tmp/it's crm/cassandra/tmp");
        assertThat(String.join(" ", o)).contains("--add-exports java.base/jdk.internal.ref=ALL-UNNAMED",
                "--add-opens java.base/java.io=ALL-UNNAMED", "--add-opens java.base/sun.nio.ch=ALL-UNNAMED");
        assertThat(CassandraNode.JAVA17_MODULE_FLAGS).hasSize(50);
    }

    @Test
    void portsAndLogging() {
        CassandraNode node = new CassandraNode(cfg);

        assertThat(node.ports()).containsValues(29042, 27000, 27199);
        assertThat(node.logFile()).isEqualTo(Path.of("/tmp/it's crm/logs/cassandra.log"));
        assertThat(CassandraNode.logbackXml(node.logFile()))
                .contains("<file>/tmp/it's crm/logs/cassandra.log</file>", "<root level=\"INFO\">")
                .doesNotContain("ConsoleAppender");
    }
}
