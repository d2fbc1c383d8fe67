package dev.parley.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** A real WebSocket client over a real socket (the JDK's), recording every frame it receives. */
public final class WsClient implements AutoCloseable {

	public static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();

	private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

	private volatile String closeReason = "";

	private volatile boolean reading;

	private WebSocket socket;

	private WsClient(boolean reading) {
		this.reading = reading;
	}

	public static WsClient connect(String url, Map<String, String> headers) {
		return open(url, headers, true);
	}

	/** A client that stops reading after the handshake, so the server's writes back up. */
	public static WsClient connectWithoutReading(String url, Map<String, String> headers) {
		return open(url, headers, false);
	}

	private static WsClient open(String url, Map<String, String> headers, boolean reading) {
		WsClient client = new WsClient(reading);
		WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
		headers.forEach(builder::header);
		client.socket = builder.buildAsync(URI.create(url), client.listener()).join();
		return client;
	}

	/** The HTTP status of a handshake that was refused. */
	public static int refusedStatus(String url, Map<String, String> headers) {
		WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
		headers.forEach(builder::header);
		try {
			builder.buildAsync(URI.create(url), new WebSocket.Listener() {
			}).join().abort();
			return 101;
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof WebSocketHandshakeException handshake) {
				return handshake.getResponse().statusCode();
			}
			throw ex;
		}
	}

	private WebSocket.Listener listener() {
		return new WebSocket.Listener() {
			private final StringBuilder text = new StringBuilder();

			@Override
			public void onOpen(WebSocket webSocket) {
				webSocket.request(1);
			}

			@Override
			public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
				text.append(data);
				if (last) {
					frames.add(JSON.readTree(text.toString()));
					text.setLength(0);
				}
				if (reading) {
					webSocket.request(1);
				}
				return null;
			}

			@Override
			public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
				closeReason = reason;
				closeCode.complete(statusCode);
				return null;
			}

			@Override
			public void onError(WebSocket webSocket, Throwable error) {
				closeCode.complete(-1);
			}
		};
	}

	/** Starts reading again after {@link #connectWithoutReading}. */
	public void resumeReading() {
		reading = true;
		socket.request(Long.MAX_VALUE);
	}

	public WsClient send(Object frame) {
		return sendText(JSON.writeValueAsString(frame));
	}

	public WsClient sendText(String text) {
		socket.sendText(text, true).join();
		return this;
	}

	public WsClient sendBinary(byte[] bytes) {
		socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
		return this;
	}

	/** A frame already received, or null. */
	public JsonNode poll() {
		return frames.poll();
	}

	/** The next frame within {@code millis}, or null. */
	public JsonNode poll(long millis) {
		try {
			return frames.poll(millis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/** The next frame, whatever its type. */
	public JsonNode next() {
		try {
			JsonNode frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			if (frame == null) {
				fail("no frame within " + WAIT);
			}
			return frame;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The next frame of this type, skipping (and dropping) frames of other types. */
	public JsonNode next(String type) {
		return next(frame -> type.equals(frame.path("type").asString()), type);
	}

	public JsonNode next(Predicate<JsonNode> matching, String description) {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				JsonNode frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
				if (frame != null && matching.test(frame)) {
					return frame;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		return fail("no " + description + " frame within " + WAIT);
	}

	/** Asserts that no frame of this type arrives within {@code millis}. */
	public void expectNone(String type, long millis) {
		long deadline = System.currentTimeMillis() + millis;
		List<JsonNode> seen = new ArrayList<>();
		while (System.currentTimeMillis() < deadline) {
			try {
				JsonNode frame = frames.poll(deadline - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
				if (frame != null) {
					seen.add(frame);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		assertThat(seen).noneMatch(frame -> type.equals(frame.path("type").asString()));
	}

	/** Sends a frame with a ref and returns the reply carrying that ref. */
	public JsonNode request(Map<String, Object> frame) {
		String ref = "r" + System.nanoTime();
		Map<String, Object> withRef = new java.util.HashMap<>(frame);
		withRef.put("ref", ref);
		send(withRef);
		return next(reply -> ref.equals(reply.path("ref").asString()), "reply to " + ref);
	}

	public int awaitClose() {
		try {
			return closeCode.get(WAIT.toSeconds() * 3, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			return fail("connection was not closed", ex);
		}
	}

	public boolean isClosed() {
		return closeCode.isDone();
	}

	/** The reason the server's close frame gave, once {@link #awaitClose} returned. */
	public String closeReason() {
		return closeReason;
	}

	/** The close code received, -1 after an error, or 0 while open. */
	public int closeCode() {
		return closeCode.getNow(0);
	}

	@Override
	public void close() {
		if (!socket.isOutputClosed()) {
			socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(ex -> null);
		}
		socket.abort();
	}

}
