package io.gamecrm.local;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** Small TCP checks: is a port open or free, and does it speak Kafka or CQL. No client libraries needed. */
public final class NetProbes {

    static final int TIMEOUT_MILLIS = 500;
    private static final int KAFKA_CORRELATION_ID = 0x43524d31; // "CRM1"

    private NetProbes() {
    }

    /** True if a TCP connection to host:port succeeds. */
    public static boolean isPortOpen(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True if this process could listen on host:port right now. */
    static boolean isPortFree(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * True if host:port answers a Kafka ApiVersions (v0) request without error: a live broker, on a PLAINTEXT
     * listener or (after a TLS handshake) an SSL or SASL_SSL one, which answer ApiVersions before any login.
     */
    static boolean isKafka(String host, int port) {
        try (Socket s = connect(host, port)) {
            if (answersApiVersions(s)) {
                return true;
            }
        } catch (IOException e) {
            return false;
        }
        return isKafkaOverTls(host, port);
    }

    private static boolean isKafkaOverTls(String host, int port) {
        try (Socket plain = connect(host, port);
             SSLSocket s = (SSLSocket) probeTls().getSocketFactory().createSocket(plain, host, port, true)) {
            s.startHandshake();
            return answersApiVersions(s);
        } catch (IOException | GeneralSecurityException e) {
            return false;
        }
    }

    /** A TLS context that accepts any certificate: the probe only asks whether a broker answers, and sends nothing. */
    private static SSLContext probeTls() throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ctx;
    }

    private static boolean answersApiVersions(Socket s) {
        try {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(10);         // size of what follows
            out.writeShort(18);       // api key: ApiVersions
            out.writeShort(0);        // api version 0
            out.writeInt(KAFKA_CORRELATION_ID);
            out.writeShort(-1);       // client id: null
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int size = in.readInt();
            int correlationId = in.readInt();
            short errorCode = in.readShort();
            return size > 6 && correlationId == KAFKA_CORRELATION_ID && errorCode == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** True if host:port answers a CQL (protocol v4) OPTIONS request with SUPPORTED: a live native transport. */
    static boolean isCql(String host, int port) {
        try (Socket s = connect(host, port)) {
            // header: version 4 request, flags 0, stream 1, opcode OPTIONS (5), body length 0
            s.getOutputStream().write(new byte[] {0x04, 0, 0, 1, 0x05, 0, 0, 0, 0});
            s.getOutputStream().flush();
            byte[] header = new DataInputStream(s.getInputStream()).readNBytes(9);
            return header.length == 9 && (header[0] & 0x80) != 0 && header[4] == 0x06; // response, SUPPORTED
        } catch (IOException e) {
            return false;
        }
    }

    /** Protocol-level liveness check of a server's client port. */
    static boolean isServing(Server server, String host, int port) {
        return server == Server.KAFKA ? isKafka(host, port) : isCql(host, port);
    }

    private static Socket connect(String host, int port) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            s.setSoTimeout(2 * TIMEOUT_MILLIS);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }
}
