package io.gamecrm.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The TLS material of a secured local broker, made with the JDK's {@code keytool} into {@link StackConfig#tlsDir()}:
 * a self-signed certificate for {@value StackConfig#HOST} (subject alternative names {@code IP:127.0.0.1} and
 * {@code DNS:localhost}, so clients keep host name verification on) in {@value #KEY_STORE}, and that certificate
 * alone in the clients' {@value #TRUST_STORE}. Both PKCS12, both with the stack's store password. Made once; a
 * store that the configured password does not open is made again.
 */
public final class LocalTls {

    public static final String KEY_STORE = "broker.p12";
    public static final String TRUST_STORE = "truststore.p12";
    public static final String STORE_TYPE = "PKCS12";
    static final String ALIAS = "crm-local-broker";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    private LocalTls() {
    }

    public static Path keyStore(StackConfig cfg) {
        return cfg.tlsDir().resolve(KEY_STORE);
    }

    public static Path trustStore(StackConfig cfg) {
        return cfg.tlsDir().resolve(TRUST_STORE);
    }

    /**
     * Makes the key store and trust store unless both exist and open with the configured password.
     *
     * @throws LocalStackException if keytool fails (its output in the message)
     */
    static void ensure(StackConfig cfg, StackListener listener) {
        String password = cfg.security().storePassword();
        if (opens(keyStore(cfg), password) && opens(trustStore(cfg), password)) {
            return;
        }
        listener.onProgress("making a TLS certificate for " + StackConfig.HOST + " in " + cfg.tlsDir());
        try {
            Files.createDirectories(cfg.tlsDir());
            Path cert = cfg.tlsDir().resolve("broker.crt");
            for (Path p : List.of(keyStore(cfg), trustStore(cfg), cert)) {
                Files.deleteIfExists(p);
            }
            keytool(cfg, "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
                    "-dname", "CN=" + StackConfig.HOST + ",OU=crm-local", "-ext",
                    "SAN=IP:" + StackConfig.HOST + ",DNS:localhost", "-keystore", keyStore(cfg).toString(),
                    "-storetype", STORE_TYPE, "-storepass", password, "-keypass", password);
            keytool(cfg, "-exportcert", "-rfc", "-alias", ALIAS, "-keystore", keyStore(cfg).toString(),
                    "-storetype", STORE_TYPE, "-storepass", password, "-file", cert.toString());
            keytool(cfg, "-importcert", "-noprompt", "-alias", ALIAS, "-file", cert.toString(),
                    "-keystore", trustStore(cfg).toString(), "-storetype", STORE_TYPE, "-storepass", password);
        } catch (IOException e) {
            throw new LocalStackException("cannot make the TLS stores in " + cfg.tlsDir() + ": " + e.getMessage(), e);
        }
    }

    private static boolean opens(Path store, String password) {
        if (!Files.isRegularFile(store)) {
            return false;
        }
        try (var in = Files.newInputStream(store)) {
            java.security.KeyStore.getInstance(STORE_TYPE).load(in, password.toCharArray());
            return true;
        } catch (IOException | java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private static void keytool(StackConfig cfg, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).directory(cfg.tlsDir().toFile()).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new LocalStackException("keytool " + args[0] + " did not finish within "
                        + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new LocalStackException("keytool " + args[0] + " failed (exit code " + p.exitValue() + "): "
                        + new String(out, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while keytool " + args[0] + " ran");
        }
    }
}
