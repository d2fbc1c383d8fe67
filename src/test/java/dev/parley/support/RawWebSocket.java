package dev.parley.support;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;


/**
 * A WebSocket spoken by hand over a plain socket, for what the JDK client hides or refuses: pings
 * and their answers, invalid UTF-8, dropping the TCP connection without a close frame.
 */
public final class RawWebSocket implements AutoCloseable {

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	private String handshake;

	private RawWebSocket(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new DataInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	/** Upgrades {@code /ws} with a bearer token; fails unless the answer is 101. */
	public static RawWebSocket connect(int port, String token) throws IOException {
		return connect(port, token, "");
	}

	/** The same, with more request header lines ({@code "Name: value\r\n"} each). */
	public static RawWebSocket connect(int port, String token, String headers) throws IOException {
		return connect(port, token, headers, 0);
	}

	/**
	 * The same, with a receive buffer of about {@code receiveBuffer} bytes (0: the system's, which
	 * grows), so that a client that stops reading makes the server's writes wait sooner.
	 */
	public static RawWebSocket connect(int port, String token, String headers, int receiveBuffer)
			throws IOException {
		RawWebSocket ws = attempt(port, token, headers, receiveBuffer);
		assertThat(ws.handshake).startsWith("HTTP/1.1 101");
		return ws;
	}

	/** The server's answer (status line and headers) to an upgrade with a bearer token, whatever it is. */
	public static String handshakeAnswer(int port, String token) throws IOException {
		return handshakeAnswer(port, token, "");
	}

	/** The same, with more request header lines ({@code "Name: value\r\n"} each). */
	public static String handshakeAnswer(int port, String token, String headers) throws IOException {
		try (RawWebSocket ws = attempt(port, token, headers, 0)) {
			return ws.handshake;
		}
	}

	private static RawWebSocket attempt(int port, String token, String headers, int receiveBuffer)
			throws IOException {
		Socket socket = new Socket();
		if (receiveBuffer > 0) {
			socket.setReceiveBufferSize(receiveBuffer);
		}
		socket.connect(new InetSocketAddress("localhost", port));
		socket.setSoTimeout(10_000);
		RawWebSocket ws = new RawWebSocket(socket);
		ws.out.write(("GET /ws HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
				+ "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
				+ "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + token + "\r\n" + headers + "\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		ws.out.flush();
		ws.handshake = ws.readHeaders();
		return ws;
	}

	/** The server's answer to the upgrade: status line and headers. */
	public String handshake() {
		return handshake;
	}

	/**
	 * {@code fin} is clear on every fragment of a message but the last; {@code rsv1} is set on a frame
	 * compressed by permessage-deflate.
	 */
	public record Frame(int opcode, boolean fin, boolean rsv1, byte[] payload) {

		public String text() {
			return new String(payload, StandardCharsets.UTF_8);
		}

		/** The status code of a close frame. */
		public int closeCode() {
			return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
		}

	}

	/** Server frames are unmasked: a length byte, extended to 16 or 64 bits, then the payload. */
	public Frame read() throws IOException {
		int first = in.readUnsignedByte();
		int length = in.readUnsignedByte() & 0x7F;
		long size = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
		byte[] payload = new byte[(int) size];
		in.readFully(payload);
		return new Frame(first & 0x0F, (first & 0x80) != 0, (first & 0x40) != 0, payload);
	}

	public void sendText(String text) throws IOException {
		send(0x1, true, text.getBytes(StandardCharsets.UTF_8));
	}

	public void send(int opcode, boolean fin, byte[] payload) throws IOException {
		sendBytes(frame(opcode, fin, payload));
	}

	/** Client frames must be masked; a zero mask leaves the payload as is. Lengths of 7, 16 or 64 bits. */
	public static byte[] frame(int opcode, boolean fin, byte[] payload) {
		int lengthBytes = payload.length <= 125 ? 0 : payload.length <= 0xFFFF ? 2 : 8;
		byte[] frame = new byte[2 + lengthBytes + 4 + payload.length];
		frame[0] = (byte) ((fin ? 0x80 : 0) | opcode);
		frame[1] = (byte) (0x80 | (lengthBytes == 0 ? payload.length : lengthBytes == 2 ? 126 : 127));
		for (int i = 0; i < lengthBytes; i++) {
			frame[2 + i] = (byte) (((long) payload.length >>> (8 * (lengthBytes - 1 - i))) & 0xFF);
		}
		System.arraycopy(payload, 0, frame, 2 + lengthBytes + 4, payload.length);
		return frame;
	}

	/** How long a {@link #read} waits before it fails with a timeout. */
	public void readTimeout(int millis) throws IOException {
		socket.setSoTimeout(millis);
	}

	/** Writes these bytes as they are, in one write. */
	public void sendBytes(byte[] bytes) throws IOException {
		out.write(bytes);
		out.flush();
	}

	/** Drops the TCP connection at once (RST), with no close frame. */
	public void drop() throws IOException {
		socket.setSoLinger(true, 0);
		socket.close();
	}

	@Override
	public void close() throws IOException {
		socket.close();
	}

	private String readHeaders() throws IOException {
		StringBuilder headers = new StringBuilder();
		while (!headers.toString().endsWith("\r\n\r\n")) {
			headers.append((char) in.readUnsignedByte());
		}
		return headers.toString();
	}

}
