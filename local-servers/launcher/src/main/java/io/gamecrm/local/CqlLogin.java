package io.gamecrm.local;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Just enough of the CQL native protocol (v4) to set up the local node's login role without a driver (the
 * launcher reaches its servers through processes and sockets only): STARTUP, a SASL PLAIN
 * {@code AUTH_RESPONSE}, and QUERY of statements without results. One connection per call.
 */
final class CqlLogin {

    /** The superuser every new node with PasswordAuthenticator creates (cassandra/cassandra). */
    static final StackSecurity.Credentials DEFAULT_SUPERUSER = new StackSecurity.Credentials("cassandra", "cassandra");

    private static final int TIMEOUT_MILLIS = 5_000;
    private static final byte VERSION = 0x04;
    private static final byte ERROR = 0x00;
    private static final byte STARTUP = 0x01;
    private static final byte READY = 0x02;
    private static final byte AUTHENTICATE = 0x03;
    private static final byte QUERY = 0x07;
    private static final byte RESULT = 0x08;
    private static final byte AUTH_RESPONSE = 0x0F;
    private static final byte AUTH_SUCCESS = 0x10;
    private static final short CONSISTENCY_ONE = 0x0001;

    /** A refusal by the node: its error code and message. */
    static final class CqlError extends IOException {
        private static final long serialVersionUID = 1L;
        final int code;

        CqlError(int code, String message) {
            super(message + " (CQL error 0x" + Integer.toHexString(code) + ")");
            this.code = code;
        }

        /** The node refused the credentials (or they do not exist yet). */
        boolean badCredentials() {
            return code == 0x0100;
        }
    }

    private CqlLogin() {
    }

    /**
     * Logs in as {@code user} and runs {@code statements} in order.
     *
     * @throws CqlError if the node refuses the login or a statement
     * @throws IOException if the connection fails
     */
    static void run(String host, int port, StackSecurity.Credentials user, List<String> statements) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] startup = concat(shortBytes(1), string("CQL_VERSION"), string("3.0.0"));
            Frame answer = exchange(out, in, STARTUP, startup);
            if (answer.opcode == AUTHENTICATE) {
                byte[] token = ("\0" + user.username() + "\0" + user.password()).getBytes(StandardCharsets.UTF_8);
                answer = exchange(out, in, AUTH_RESPONSE, concat(intBytes(token.length), token));
                expect(answer, AUTH_SUCCESS);
            } else {
                expect(answer, READY);
            }
            for (String statement : statements) {
                byte[] q = statement.getBytes(StandardCharsets.UTF_8);
                expect(exchange(out, in, QUERY, concat(intBytes(q.length), q, shortBytes(CONSISTENCY_ONE),
                        new byte[] {0})), RESULT);
            }
        }
    }

    /** True if {@code user} can log in. */
    static boolean canLogIn(String host, int port, StackSecurity.Credentials user) {
        try {
            run(host, port, user, List.of());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private record Frame(byte opcode, byte[] body) {
    }

    private static Frame exchange(DataOutputStream out, DataInputStream in, byte opcode, byte[] body)
            throws IOException {
        out.writeByte(VERSION);
        out.writeByte(0);          // flags
        out.writeShort(1);         // stream id
        out.writeByte(opcode);
        out.writeInt(body.length);
        out.write(body);
        out.flush();
        byte version = in.readByte();
        in.readByte();
        in.readShort();
        byte answer = in.readByte();
        int length = in.readInt();
        if ((version & 0x80) == 0 || length < 0 || length > 1 << 20) {
            throw new IOException("not a CQL v4 response");
        }
        byte[] payload = in.readNBytes(length);
        if (answer == ERROR) {
            DataInputStream err = new DataInputStream(new java.io.ByteArrayInputStream(payload));
            int code = err.readInt();
            byte[] message = err.readNBytes(err.readUnsignedShort());
            throw new CqlError(code, new String(message, StandardCharsets.UTF_8));
        }
        return new Frame(answer, payload);
    }

    private static void expect(Frame f, byte opcode) throws IOException {
        if (f.opcode != opcode) {
            throw new IOException("unexpected CQL response opcode 0x" + Integer.toHexString(f.opcode));
        }
    }

    private static byte[] string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return concat(shortBytes(b.length), b);
    }

    private static byte[] shortBytes(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
