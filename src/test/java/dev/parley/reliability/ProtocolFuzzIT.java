package dev.parley.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.RawWebSocket;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tens of thousands of malformed, truncated, wrong-type, deeply nested, invalid-UTF-8, oversized and
 * fragmented frames, made from a seed ({@code -Dparley.fuzz.seed=N} repeats a run; the seed is
 * printed), at a server whose rate limit is out of the way: it answers each with an error or closes
 * that one connection with a protocol code, never with a server error, never with a stack trace or a
 * class name in a reply, while a well-behaved client keeps chatting.
 */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.limits.rate-per-second=1000000", "parley.limits.rate-burst=1000000" })
class ProtocolFuzzIT {

	private static final int FRAMES = 20_000;

	/** What a reply may never contain: a stack frame, an exception's class, a package of the server's. */
	private static final Pattern LEAK = Pattern
		.compile("\\bat [a-z]+\\.[a-z]|[A-Z][A-Za-z]+Exception|java\\.|jakarta\\.|tools\\.jackson|dev\\.parley|org\\.eclipse|org\\.springframework");

	/** The codes a connection may be closed with for what it sent: 1002 protocol, 1007 bad UTF-8, 1009 too large. */
	private static final List<Integer> PROTOCOL_CLOSES = List.of(1002, 1007, 1009);

	@LocalServerPort
	int port;

	@Autowired
	ParleyHttp http;

	private final List<String> leaks = new CopyOnWriteArrayList<>();

	private final Map<Integer, AtomicInteger> closes = new ConcurrentHashMap<>();

	/** Frames sent on connections that the server kept open: each of them was answered. */
	private final AtomicInteger answered = new AtomicInteger();

	private final List<String> unanswered = new CopyOnWriteArrayList<>();

	private static final String LAST = "fuzz-last";

	/** A connection carries this many frames at most, then the next one goes on. */
	private static final int FRAMES_PER_CONNECTION = 500;

	@Test
	void malformedFramesGetErrorsOrProtocolClosesAndAWellBehavedClientKeepsChatting() throws Exception {
		long seed = Long.getLong("parley.fuzz.seed", System.nanoTime());
		System.out.println("protocol-fuzz: seed " + seed);
		Random random = new Random(seed);
		Guest fuzzer = http.guest("Fuzzer");
		Guest witness = http.guest("Witness");
		List<Long> witnessMillis = new CopyOnWriteArrayList<>();
		try (WsClient calm = http.connectWelcomed(witness)) {
			calm.request(Map.of("type", "join", "room", "lobby"));
			Thread chatting = witnessChats(calm, witnessMillis);
			Fuzz fuzz = new Fuzz(random);
			Connection connection = new Connection(fuzzer);
			for (int i = 0; i < FRAMES; i++) {
				byte[] frame = fuzz.next();
				if (fuzz.closesConnection()) {
					closing(fuzzer, frame);
					continue;
				}
				connection.send(frame);
				if (connection.sent == FRAMES_PER_CONNECTION) {
					connection.end();
					connection = new Connection(fuzzer);
				}
			}
			connection.end();
			chatting.interrupt();
			chatting.join();
		}
		System.out.printf("protocol-fuzz: %d frames, %d on connections the server kept open, all answered; closes %s;"
				+ " witness p99 %d ms%n", FRAMES, answered.get(), closes, percentile(witnessMillis, 0.99));
		assertThat(leaks).as("replies that show the server's insides").isEmpty();
		assertThat(closes.keySet()).as("close codes").isSubsetOf(PROTOCOL_CLOSES);
		assertThat(unanswered).as("connections kept open where a frame got no answer").isEmpty();
		assertThat(answered.get()).isGreaterThan(FRAMES * 9 / 10);
		assertThat(witnessMillis).hasSizeGreaterThan(10).allSatisfy(ms -> assertThat(ms).isLessThan(2000));
		assertThat(http.get("/readyz").statusCode()).isEqualTo(200);
	}

	/** A frame that breaks the WebSocket protocol goes on a connection of its own, which it must close. */
	private void closing(Guest fuzzer, byte[] frame) throws Exception {
		Connection connection = new Connection(fuzzer);
		connection.send(frame);
		connection.end();
		if (connection.closeCode == null) {
			unanswered.add("a protocol violation left its connection open");
		}
	}

	/**
	 * One fuzzing connection: what it sent, what came back. On a connection the server keeps open,
	 * every frame gets exactly one answer; one that it closes for a protocol violation may lose the
	 * answers still queued for it.
	 */
	private final class Connection {

		private final RawWebSocket ws;

		private final CompletableFuture<Void> done = new CompletableFuture<>();

		private final AtomicInteger replies = new AtomicInteger();

		private volatile Integer closeCode;

		private int sent;

		Connection(Guest guest) throws IOException {
			ws = RawWebSocket.connect(port, guest.token());
			Thread reader = new Thread(this::read, "fuzz-reader");
			reader.setDaemon(true);
			reader.start();
		}

		void send(byte[] frame) {
			try {
				ws.sendBytes(frame);
				sent++;
			}
			catch (IOException closedMeanwhile) {
				// the server closed it after an earlier frame
			}
		}

		/** Waits until everything sent was answered (a last ping's answer came, or the close), then closes. */
		void end() throws Exception {
			try {
				ws.sendText("{\"type\":\"ping\",\"ref\":\"" + LAST + "\"}");
			}
			catch (IOException closedByTheServer) {
				// after a protocol close
			}
			done.get(10, TimeUnit.SECONDS);
			ws.close();
			if (closeCode == null) {
				answered.addAndGet(sent);
				if (replies.get() != sent) {
					unanswered.add(sent + " sent, " + replies.get() + " answered");
				}
			}
		}

		private void read() {
			try {
				while (true) {
					RawWebSocket.Frame frame = ws.read();
					if (frame.opcode() == 0x8) {
						closeCode = frame.payload().length >= 2 ? frame.closeCode() : 1005;
						closes.computeIfAbsent(closeCode, code -> new AtomicInteger()).incrementAndGet();
						return;
					}
					if (frame.opcode() == 0x1) {
						onText(frame.text());
					}
				}
			}
			catch (IOException closedOrQuiet) {
				// the server dropped the connection after its close frame, or answered everything
			}
			finally {
				done.complete(null);
			}
		}

		private void onText(String text) throws IOException {
			if (text.contains("\"ref\":\"" + LAST + "\"")) {
				// answers from Jetty's pool (join, history...) may still follow the pong
				ws.readTimeout(300);
				return;
			}
			if (!text.startsWith("{\"type\":\"welcome\"")) {
				replies.incrementAndGet();
			}
			if (LEAK.matcher(text).find()) {
				leaks.add(text);
			}
		}

	}

	/** Sends a message every 100 ms and records how long its ack took. */
	private static Thread witnessChats(WsClient calm, List<Long> millis) {
		Thread thread = new Thread(() -> {
			int n = 0;
			while (!Thread.currentThread().isInterrupted()) {
				long started = System.nanoTime();
				String id = calm.request(Map.of("type", "message", "room", "lobby", "text", "still here " + n++))
					.path("id").asString();
				if (!id.isEmpty()) {
					millis.add((System.nanoTime() - started) / 1_000_000);
				}
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "witness");
		thread.start();
		return thread;
	}

	private static long percentile(List<Long> values, double p) {
		List<Long> sorted = new ArrayList<>(values);
		sorted.sort(null);
		return sorted.isEmpty() ? -1 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
	}

	/** The frames, as bytes on the wire; some of them close the connection they are sent on. */
	private static final class Fuzz {

		private static final String[] TYPES = { "join", "leave", "message", "private", "history", "typing", "read",
				"ping", "edit", "", "JOIN", "messages", "\u0000", "\ud83d\ude00" };

		private static final String[] FIELDS = { "type", "room", "text", "to", "since", "before", "after", "limit",
				"id", "with", "ref" };

		private final Random random;

		private boolean closes;

		Fuzz(Random random) {
			this.random = random;
		}

		boolean closesConnection() {
			return closes;
		}

		byte[] next() {
			closes = false;
			int kind = random.nextInt(100);
			if (kind < 2) {
				closes = true;
				return RawWebSocket.frame(0x1, true, invalidUtf8());
			}
			if (kind < 3) {
				closes = true;
				return RawWebSocket.frame(0x1, true, new byte[65537 + random.nextInt(1000)]);
			}
			if (kind < 5) {
				closes = true;
				return RawWebSocket.frame(0x0, true, text(random.nextInt(50)).getBytes(StandardCharsets.UTF_8));
			}
			if (kind < 10) {
				return fragmented(wellFormed());
			}
			if (kind < 15) {
				return RawWebSocket.frame(0x2, true, randomBytes(random.nextInt(200)));
			}
			if (kind < 20) {
				return text(nested(1 + random.nextInt(10_000)));
			}
			if (kind < 40) {
				String frame = wellFormed();
				return text(frame.substring(0, random.nextInt(frame.length() + 1)));
			}
			if (kind < 70) {
				return text(wrongTypes());
			}
			if (kind < 85) {
				return text(mutated(wellFormed()));
			}
			return text(pick(new Supplier[] { () -> "null", () -> "[]", () -> "42", () -> "\"type\"", () -> "{}",
					() -> "", () -> " ", () -> "{\"type\":\"message\",\"type\":\"join\"}",
					() -> "{\"type\":\"history\",\"room\":\"lobby\",\"limit\":-1}",
					() -> "{\"type\":\"history\",\"room\":\"lobby\",\"limit\":1e309}",
					() -> "{\"type\":\"join\",\"room\":\"" + "a".repeat(60_000) + "\"}" }).get().toString());
		}

		private String wellFormed() {
			StringBuilder json = new StringBuilder("{\"type\":\"").append(TYPES[random.nextInt(TYPES.length)]).append('"');
			for (int i = random.nextInt(4); i >= 0; i--) {
				json.append(",\"").append(FIELDS[random.nextInt(FIELDS.length)]).append("\":\"").append(word()).append('"');
			}
			return json.append('}').toString();
		}

		private String wrongTypes() {
			StringBuilder json = new StringBuilder("{");
			for (int i = random.nextInt(5); i >= 0; i--) {
				if (json.length() > 1) {
					json.append(',');
				}
				json.append('"').append(FIELDS[random.nextInt(FIELDS.length)]).append("\":").append(value(3));
			}
			return json.append('}').toString();
		}

		private String value(int depth) {
			return switch (random.nextInt(depth <= 0 ? 5 : 7)) {
				case 0 -> Long.toString(random.nextLong());
				case 1 -> random.nextBoolean() ? "true" : "null";
				case 2 -> '"' + word() + '"';
				case 3 -> Double.toString(random.nextGaussian() * 1e300);
				case 4 -> "\"\\u" + String.format("%04x", random.nextInt(0x10000)) + "\"";
				case 5 -> "[" + value(depth - 1) + "," + value(depth - 1) + "]";
				default -> "{\"" + word() + "\":" + value(depth - 1) + "}";
			};
		}

		private String mutated(String frame) {
			String marks = "{}[]\",:\\ \u0000\u00e9";
			char[] chars = frame.toCharArray();
			for (int i = 1 + random.nextInt(3); i > 0 && chars.length > 0; i--) {
				chars[random.nextInt(chars.length)] = marks.charAt(random.nextInt(marks.length()));
			}
			return new String(chars);
		}

		private String nested(int depth) {
			return random.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth)
					: "{\"type\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}";
		}

		private byte[] fragmented(String frame) {
			byte[] payload = frame.getBytes(StandardCharsets.UTF_8);
			int parts = Math.min(payload.length, 2 + random.nextInt(4));
			java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
			int from = 0;
			for (int part = 0; part < parts; part++) {
				int to = part == parts - 1 ? payload.length : from + (payload.length - from) / (parts - part);
				byte[] piece = java.util.Arrays.copyOfRange(payload, from, to);
				out.writeBytes(RawWebSocket.frame(part == 0 ? 0x1 : 0x0, part == parts - 1, piece));
				from = to;
			}
			return out.toByteArray();
		}

		private String word() {
			return text(random.nextInt(12));
		}

		/** Letters, digits, punctuation and some non-ASCII text; never a word the leak check looks for. */
		private String text(int length) {
			String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_.:!?@#é漢字🙂 ";
			StringBuilder text = new StringBuilder();
			for (int i = 0; i < length; i++) {
				text.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
						random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
			}
			return text.toString();
		}

		private byte[] text(String json) {
			return RawWebSocket.frame(0x1, true, json.getBytes(StandardCharsets.UTF_8));
		}

		private byte[] invalidUtf8() {
			byte[] bytes = ("{\"type\":\"message\",\"text\":\"x\"}").getBytes(StandardCharsets.UTF_8);
			bytes[random.nextInt(bytes.length)] = (byte) (0xC0 | random.nextInt(2));
			return bytes;
		}

		private byte[] randomBytes(int length) {
			byte[] bytes = new byte[length];
			random.nextBytes(bytes);
			return bytes;
		}

		@SuppressWarnings("unchecked")
		private <T> T pick(T[] choices) {
			return choices[random.nextInt(choices.length)];
		}

	}

}
