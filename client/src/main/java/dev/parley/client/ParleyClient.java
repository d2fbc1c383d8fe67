package dev.parley.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Parley connection for a Java application, on the JDK's own WebSocket: a bearer token (from
 * {@code POST /api/auth/token} or {@code /api/auth/guest}), frames sent with a future of their
 * answer, and events for what the server sends. It does what /js/parley-client.js does for web
 * pages (docs/client.md): it reconnects after any close but a final one, with exponential backoff
 * and full jitter (docs/protocol.md, "Reconnecting"), pings so that a dead path is noticed, and
 * after a reconnect joins its rooms again with {@code since}, so that the messages missed meanwhile
 * come as {@code message} events, in order, each once.
 * <p>
 * Everything the client does runs on its one thread, listeners included: a listener must not wait
 * for an answer of this client, or it waits forever. Events ({@link #on}): every frame type the
 * server sends, plus {@code state} ({@code {"state":"connecting"|"online"|"offline","retryAt"}},
 * or {@code "closed"} with {@code code} and {@code reason} when it stops for good) and {@code frame}
 * for every frame. The {@code offline} state is told before the next try is scheduled.
 */
public final class ParleyClient implements AutoCloseable {

	private static final System.Logger log = System.getLogger(ParleyClient.class.getName());

	/** Closes after which trying again cannot help: banned, logged out or password reset, account deleted. */
	private static final Set<Integer> FINAL_CLOSES = Set.of(1008, 4004, 4005);

	/** Handshake answers after which trying again cannot help: no valid credentials, banned or foreign origin. */
	private static final Set<Integer> FINAL_REFUSALS = Set.of(401, 403);

	private static final Duration FIRST_RETRY = Duration.ofMillis(500);

	private static final Duration MAX_RETRY = Duration.ofSeconds(15);

	private static final int ABNORMAL_CLOSE = 1006;

	private static final String BEFORE_ANY_MESSAGE = "0-0";

	private final URI url;

	private final String token;

	private final Duration silence;

	private final HttpClient http;

	private final JsonMapper json = JsonMapper.builder().build();

	private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "parley-client");
		thread.setDaemon(true);
		return thread;
	});

	private final Map<String, List<Consumer<JsonNode>>> listeners = new ConcurrentHashMap<>();

	/** Per room it joined, the newest message id it has passed on; read from any thread. */
	private final Map<String, String> lastSeen = new ConcurrentHashMap<>();

	private final CompletableFuture<JsonNode> firstWelcome = new CompletableFuture<>();

	// what follows is the loop thread's alone

	private final Map<String, CompletableFuture<JsonNode>> pending = new HashMap<>();

	private final Map<String, Resume> resuming = new HashMap<>();

	private WebSocket socket;

	private CompletableFuture<?> outgoing = CompletableFuture.completedFuture(null);

	private long lastRef;

	private int failures;

	private boolean welcomed;

	private boolean started;

	private boolean stopped;

	private long heardAt;

	private ParleyClient(Builder builder) {
		this.url = builder.url;
		this.token = builder.token;
		this.silence = builder.silence;
		this.http = builder.http != null ? builder.http : HttpClient.newHttpClient();
		long beat = builder.heartbeat.toMillis();
		loop.scheduleWithFixedDelay(this::beat, beat, beat, TimeUnit.MILLISECONDS);
	}

	/** A client of the socket at {@code url} ({@code ws://host:8080/ws}, {@code wss://chat.example.com/ws}). */
	public static Builder builder(URI url) {
		return new Builder(url);
	}

	/**
	 * Opens the connection, and keeps it open from then on; completes with the first welcome, or
	 * fails when the server refuses for good. Asked again, it returns the same future.
	 */
	public CompletableFuture<JsonNode> connect() {
		onLoop(() -> {
			if (!started) {
				started = true;
				open();
			}
		});
		return firstWelcome;
	}

	/**
	 * Sends a frame; completes with its answer (ack, joined, history, members, pong...), or fails with
	 * a {@link ParleyException} of the error frame's code, or {@code disconnected} when the connection
	 * dropped first (a message then may or may not have been stored: sending it again may show it twice).
	 */
	public CompletableFuture<JsonNode> send(Map<String, ?> frame) {
		ObjectNode copy = json.valueToTree(frame);
		CompletableFuture<JsonNode> answer = new CompletableFuture<>();
		if (!onLoop(() -> sendNow(copy, answer))) {
			answer.completeExceptionally(new ParleyException("closed", "the client is closed"));
		}
		return answer;
	}

	/** Joins a room, or opens it again: with {@code since}, only what came after the last message seen. */
	public CompletableFuture<JsonNode> join(String room) {
		CompletableFuture<JsonNode> answer = new CompletableFuture<>();
		if (!onLoop(() -> joinNow(room, answer))) {
			answer.completeExceptionally(new ParleyException("closed", "the client is closed"));
		}
		return answer;
	}

	/** Calls {@code listener} with each frame of this type, or each state change ({@code state}); returns its removal. */
	public Runnable on(String type, Consumer<JsonNode> listener) {
		List<Consumer<JsonNode>> forType = listeners.computeIfAbsent(type, ignored -> new CopyOnWriteArrayList<>());
		forType.add(listener);
		return () -> forType.remove(listener);
	}

	/** The id of the newest message of {@code room} passed on, where a resume would start. */
	public Optional<String> lastSeen(String room) {
		return Optional.ofNullable(lastSeen.get(room));
	}

	/** Closes for good. */
	@Override
	public void close() {
		onLoop(() -> stop(1000, "closed by the client"));
	}

	private void open() {
		if (stopped) {
			return;
		}
		emit("state", state("connecting"));
		WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
		if (token != null) {
			builder.header("Authorization", "Bearer " + token);
		}
		builder.buildAsync(url, new Receiver()).whenComplete((ws, error) -> {
			if (error != null) {
				onLoop(() -> refused(error));
			}
		});
	}

	private void opened(WebSocket ws) {
		if (stopped) {
			ws.abort();
			return;
		}
		socket = ws;
		outgoing = CompletableFuture.completedFuture(null);
		heardAt = System.nanoTime();
	}

	private void refused(Throwable error) {
		Throwable cause = error;
		while (cause instanceof CompletionException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		if (!(cause instanceof WebSocketHandshakeException handshake)) {
			retry(Duration.ZERO);
			return;
		}
		HttpResponse<?> response = handshake.getResponse();
		if (FINAL_REFUSALS.contains(response.statusCode())) {
			Object body = response.body();
			stop(response.statusCode(), body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
					: "refused with " + response.statusCode());
			return;
		}
		// 429 and 503 say how long to wait at least
		retry(response.headers().firstValue("Retry-After").map(ParleyClient::seconds).orElse(Duration.ZERO));
	}

	private static Duration seconds(String value) {
		try {
			return Duration.ofSeconds(Long.parseLong(value.trim()));
		}
		catch (NumberFormatException ex) {
			return Duration.ZERO;
		}
	}

	/** Full jitter: anywhere from now to the capped exponential delay, so that dropped clients spread out. */
	private void retry(Duration atLeast) {
		long cap = Math.min(MAX_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(failures, 10));
		long delay = Math.max(ThreadLocalRandom.current().nextLong(cap + 1), atLeast.toMillis());
		failures++;
		ObjectNode offline = state("offline");
		offline.put("retryAt", System.currentTimeMillis() + delay);
		emit("state", offline);
		loop.schedule(this::open, delay, TimeUnit.MILLISECONDS);
	}

	private void dropped(WebSocket ws, int code, String reason) {
		if (ws != socket) {
			return;
		}
		socket = null;
		failPending("disconnected", "the connection closed before an answer");
		resuming.clear();
		if (stopped) {
			return;
		}
		if (FINAL_CLOSES.contains(code)) {
			stop(code, reason);
		}
		else {
			retry(Duration.ZERO);
		}
	}

	private void stop(int code, String reason) {
		if (stopped) {
			return;
		}
		stopped = true;
		WebSocket ws = socket;
		socket = null;
		if (ws != null) {
			ws.sendClose(WebSocket.NORMAL_CLOSURE, "");
		}
		failPending("closed", reason);
		firstWelcome.completeExceptionally(new ParleyException("closed", reason));
		ObjectNode closed = state("closed");
		closed.put("code", code);
		closed.put("reason", reason);
		emit("state", closed);
		loop.shutdown();
	}

	/** Pings, so that a path that went dead without a close is noticed, and gives it up after the silence. */
	private void beat() {
		WebSocket ws = socket;
		if (ws == null) {
			return;
		}
		if (System.nanoTime() - heardAt > silence.toNanos()) {
			dropped(ws, ABNORMAL_CLOSE, "nothing heard for " + silence);
			ws.abort();
			return;
		}
		sendNow(json.createObjectNode().put("type", "ping"), new CompletableFuture<>());
	}

	private void sendNow(ObjectNode frame, CompletableFuture<JsonNode> answer) {
		WebSocket ws = socket;
		if (ws == null) {
			answer.completeExceptionally(new ParleyException("disconnected", "not connected"));
			return;
		}
		// the protocol's fields are strings, refs too
		String ref = Long.toString(++lastRef);
		frame.put("ref", ref);
		pending.put(ref, answer);
		String text = json.writeValueAsString(frame);
		outgoing = outgoing.thenCompose(ignored -> ws.sendText(text, true)).handle((ignored, error) -> {
			if (error != null) {
				onLoop(() -> failed(ref, error));
			}
			return null;
		});
	}

	private void failed(String ref, Throwable error) {
		CompletableFuture<JsonNode> answer = pending.remove(ref);
		if (answer != null) {
			answer.completeExceptionally(new ParleyException("disconnected", error.toString()));
		}
	}

	private void failPending(String code, String reason) {
		pending.values().forEach(answer -> answer.completeExceptionally(new ParleyException(code, reason)));
		pending.clear();
	}

	private void joinNow(String room, CompletableFuture<JsonNode> answer) {
		ObjectNode frame = json.createObjectNode().put("type", "join").put("room", room);
		String since = lastSeen.get(room);
		if (since != null && socket != null) {
			Resume resume = new Resume(since);
			resuming.put(room, resume);
			frame.put("since", since);
			answer.whenComplete((joined, refused) -> {
				if (refused != null) {
					finish(room, resume);
				}
			});
		}
		sendNow(frame, answer);
	}

	private void received(WebSocket ws, String text) {
		if (ws != socket) {
			return;
		}
		heardAt = System.nanoTime();
		JsonNode frame;
		try {
			frame = json.readTree(text);
		}
		catch (JacksonException ex) {
			log.log(System.Logger.Level.WARNING, "Ignored a frame that is not JSON: {0}", ex.getOriginalMessage());
			return;
		}
		String type = frame.path("type").asString();
		boolean held = false;
		if (type.equals("welcome")) {
			welcomed(frame);
		}
		else if (type.equals("message") && frame.hasNonNull("room") && frame.hasNonNull("id")) {
			held = saw(frame);
		}
		else if (type.equals("joined")) {
			replay(frame);
		}
		answer(frame);
		emit("frame", frame);
		if (!held) {
			emit(type, frame);
		}
	}

	private void answer(JsonNode frame) {
		JsonNode ref = frame.get("ref");
		CompletableFuture<JsonNode> answer = ref != null && ref.isString() ? pending.remove(ref.asString()) : null;
		if (answer == null) {
			return;
		}
		if (frame.path("type").asString().equals("error")) {
			answer.completeExceptionally(new ParleyException(frame.path("code").asString(),
					frame.path("message").asString()));
		}
		else {
			answer.complete(frame);
		}
	}

	private void welcomed(JsonNode welcome) {
		boolean again = welcomed;
		welcomed = true;
		failures = 0;
		emit("state", state("online"));
		firstWelcome.complete(welcome);
		if (again) {
			// the rooms it had open: joined again after what was seen, so that nothing missed is lost
			welcome.path("rooms").forEach(room -> {
				String slug = room.path("slug").asString();
				if (lastSeen.containsKey(slug)) {
					joinNow(slug, new CompletableFuture<>());
				}
			});
		}
	}

	/** A live room message: held while its room resumes (it comes after what was missed), else marked seen. */
	private boolean saw(JsonNode message) {
		String room = message.path("room").asString();
		String id = message.path("id").asString();
		Resume resume = resuming.get(room);
		if (resume != null) {
			resume.held.put(id, message);
			return true;
		}
		mark(room, id);
		return false;
	}

	/**
	 * A join's reply. Resuming: its changes to messages the client holds, then the messages missed,
	 * page after page, then the live ones that came meanwhile and were not among them; the room's
	 * mark moves page by page, so that a drop in between resumes where the pages stopped.
	 */
	private void replay(JsonNode joined) {
		String room = joined.path("room").asString();
		Resume resume = resuming.get(room);
		if (resume == null) {
			// a room joined while empty resumes from its start: what came while away is all it holds
			lastSeen.putIfAbsent(room, BEFORE_ANY_MESSAGE);
			joined.path("history").forEach(message -> mark(room, message.path("id").asString()));
			return;
		}
		joined.path("changes").forEach(change -> emit(change.path("type").asString(), change));
		page(room, resume, joined.path("history"), joined.path("more").asBoolean());
	}

	private void page(String room, Resume resume, JsonNode messages, boolean more) {
		if (resuming.get(room) != resume) {
			return;
		}
		messages.forEach(message -> {
			String id = message.path("id").asString();
			resume.held.remove(id);
			if (newer(id, resume.since)) {
				emit("message", ((ObjectNode) message.deepCopy()).put("type", "message").put("room", room));
				resume.since = id;
				mark(room, id);
			}
		});
		if (more && !messages.isEmpty()) {
			CompletableFuture<JsonNode> next = new CompletableFuture<>();
			next.whenComplete((reply, refused) -> {
				if (refused != null) {
					finish(room, resume);
				}
				else {
					page(room, resume, reply.path("messages"), reply.path("more").asBoolean());
				}
			});
			sendNow(json.createObjectNode().put("type", "history").put("room", room).put("after", resume.since), next);
			return;
		}
		finish(room, resume);
	}

	/** The resume is over, or cannot go on: the live messages it held and did not replay, in order. */
	private void finish(String room, Resume resume) {
		if (resuming.get(room) != resume) {
			return;
		}
		resuming.remove(room);
		resume.held.forEach((id, message) -> {
			if (newer(id, resume.since)) {
				emit("message", message);
				mark(room, id);
			}
		});
	}

	private void mark(String room, String id) {
		lastSeen.merge(room, id, (seen, candidate) -> newer(candidate, seen) ? candidate : seen);
	}

	/** Stream ids ({@code ms-seq}) compared as numbers: {@code 9-0} is older than {@code 10-0}. */
	static boolean newer(String id, String than) {
		int dash = id.indexOf('-');
		int thanDash = than.indexOf('-');
		long ms = Long.parseLong(id.substring(0, dash));
		long thanMs = Long.parseLong(than.substring(0, thanDash));
		return ms != thanMs ? ms > thanMs
				: Long.parseLong(id.substring(dash + 1)) > Long.parseLong(than.substring(thanDash + 1));
	}

	private ObjectNode state(String state) {
		return json.createObjectNode().put("state", state);
	}

	private void emit(String type, JsonNode frame) {
		for (Consumer<JsonNode> listener : listeners.getOrDefault(type, List.of())) {
			try {
				listener.accept(frame);
			}
			catch (RuntimeException ex) {
				log.log(System.Logger.Level.WARNING, "A listener of " + type + " failed", ex);
			}
		}
	}

	/** Runs {@code task} on the client's thread; false once the client has stopped. */
	private boolean onLoop(Runnable task) {
		try {
			loop.execute(() -> {
				try {
					task.run();
				}
				catch (RuntimeException ex) {
					log.log(System.Logger.Level.ERROR, "The client failed at a step", ex);
				}
			});
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	/** A room being joined again with {@code since}: the live messages held until what was missed is out. */
	private static final class Resume {

		private String since;

		private final Map<String, JsonNode> held = new LinkedHashMap<>();

		private Resume(String since) {
			this.since = since;
		}

	}

	/** One per socket: whole frames to the client's thread, in order. */
	private final class Receiver implements WebSocket.Listener {

		private final StringBuilder text = new StringBuilder();

		@Override
		public void onOpen(WebSocket ws) {
			onLoop(() -> opened(ws));
			ws.request(1);
		}

		@Override
		public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
			text.append(data);
			if (last) {
				String frame = text.toString();
				text.setLength(0);
				onLoop(() -> received(ws, frame));
			}
			ws.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
			onLoop(() -> {
				if (ws == socket) {
					heardAt = System.nanoTime();
				}
			});
			return WebSocket.Listener.super.onPing(ws, message);
		}

		@Override
		public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
			onLoop(() -> dropped(ws, code, reason));
			return null;
		}

		@Override
		public void onError(WebSocket ws, Throwable error) {
			onLoop(() -> dropped(ws, ABNORMAL_CLOSE, error.toString()));
		}

	}

	/** The client's settings: the socket's URL, and optionally a token and the heartbeat. */
	public static final class Builder {

		private final URI url;

		private String token;

		private Duration heartbeat = Duration.ofSeconds(25);

		private Duration silence = Duration.ofSeconds(60);

		private HttpClient http;

		private Builder(URI url) {
			this.url = url;
		}

		/** A bearer token, sent as {@code Authorization: Bearer}. */
		public Builder token(String token) {
			this.token = token;
			return this;
		}

		/** How often to ping, and after how long without a frame or ping to give the connection up (25 s, 60 s). */
		public Builder heartbeat(Duration every, Duration silence) {
			this.heartbeat = every;
			this.silence = silence;
			return this;
		}

		/** The JDK HTTP client to open sockets with (its proxy, TLS context, executor); a new one by default. */
		public Builder httpClient(HttpClient http) {
			this.http = http;
			return this;
		}

		public ParleyClient build() {
			return new ParleyClient(this);
		}

	}

}
