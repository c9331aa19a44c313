package app.parley.host;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.security.SecureRandom;

/**
 * A TLS ClientHello written by hand, for the versions the JDK's own client no longer offers, and
 * the first thing a server answers to it: {@code "ServerHello 0303"} (the version it chose, in
 * hex), {@code "alert 70"} (a fatal alert and its description; 70 is protocol_version) or
 * {@code "closed"}.
 */
final class TlsHello {
    private static final int HANDSHAKE = 22;
    private static final int ALERT = 21;

    private TlsHello() {}

    /** A ClientHello with {@code version} (0x0301 TLS 1.0 … 0x0303 TLS 1.2) as its highest. */
    static byte[] offering(int version) throws IOException {
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(hello);
        out.writeShort(version);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        out.write(random);
        out.writeByte(0); // no session to resume
        // ECDHE-ECDSA with AES-GCM (TLS 1.2) and AES-CBC (any version), ECDHE-RSA, RSA, and the
        // empty renegotiation_info SCSV.
        int[] suites = {0xC02B, 0xC02C, 0xC009, 0xC00A, 0xC02F, 0xC013, 0xC014, 0x009C, 0x002F, 0x0035, 0x00FF};
        out.writeShort(suites.length * 2);
        for (int suite : suites) {
            out.writeShort(suite);
        }
        out.writeByte(1);
        out.writeByte(0); // null compression
        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        DataOutputStream ext = new DataOutputStream(extensions);
        extension(ext, 10, new int[] {23, 24, 29}); // supported_groups: P-256, P-384, X25519
        ext.writeShort(11); // ec_point_formats: uncompressed
        ext.writeShort(2);
        ext.writeByte(1);
        ext.writeByte(0);
        // signature_algorithms: ECDSA and RSA with SHA-256/384, RSA-PSS, and their SHA-1 forms
        extension(ext, 13, new int[] {0x0403, 0x0503, 0x0804, 0x0805, 0x0401, 0x0501, 0x0203, 0x0201});
        out.writeShort(extensions.size());
        extensions.writeTo(out);

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        DataOutputStream rec = new DataOutputStream(record);
        rec.writeByte(HANDSHAKE);
        rec.writeShort(0x0301); // the record version hellos use, whatever they offer
        rec.writeShort(hello.size() + 4);
        rec.writeByte(1); // client_hello
        rec.writeByte(0);
        rec.writeShort(hello.size());
        hello.writeTo(rec);
        return record.toByteArray();
    }

    /** Sends {@code hello} to the server on {@code port} and reads the first record back. */
    static String answer(int port, byte[] hello) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(hello);
            socket.getOutputStream().flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int type = in.readUnsignedByte();
            in.readUnsignedShort();
            int length = in.readUnsignedShort();
            byte[] body = new byte[length];
            in.readFully(body);
            if (type == ALERT && length == 2) {
                return "alert " + (body[1] & 0xff);
            }
            if (type == HANDSHAKE && length >= 6 && body[0] == 2) {
                return String.format("ServerHello %02x%02x", body[4], body[5]);
            }
            return "record " + type;
        } catch (EOFException | java.net.SocketException e) {
            return "closed";
        }
    }

    private static void extension(DataOutputStream out, int type, int[] values) throws IOException {
        out.writeShort(type);
        out.writeShort(2 + values.length * 2);
        out.writeShort(values.length * 2);
        for (int value : values) {
            out.writeShort(value);
        }
    }
}
