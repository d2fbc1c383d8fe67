package dev.parley.ws;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.parley.room.RoomService;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.RawWebSocket;
import dev.parley.support.WsClient;
import dev.parley.ws.jetty.InlineReadConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /ws} frames are read on Jetty's selector thread, which every connection it watches shares:
 * a frame whose handling waits for Redis must wait elsewhere, or every other connection's frames
 * would wait with it. Redis holds its writes for a while, so that a {@code join} (a write) waits.
 */
@ParleyIntegrationTest
class SelectorReadsIT {

	private static final long PAUSE_MILLIS = 2_000;

	@Autowired
	ParleyHttp http;

	@Autowired
	RoomService rooms;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	ServletWebServerApplicationContext context;

	@LocalServerPort
	int port;

	private final List<WsClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		clients.forEach(WsClient::close);
	}

	@Test
	void theServerListensThroughTheConnectorThatReadsOnItsSelectors() {
		Server server = ((JettyWebServer) context.getWebServer()).getServer();

		assertThat(server.getConnectors()).singleElement().isInstanceOf(InlineReadConnector.class);
	}

	@Test
	void aFrameWaitingForRedisHoldsUpNoOtherConnection() {
		rooms.createIfAbsent("selector-reads", "Selector reads", "");
		WsClient joining = welcomed("Jonas");
		// more connections than Jetty has selectors (at most 4), so some share the joining one's
		List<WsClient> others = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			others.add(welcomed("Other" + i));
		}

		pauseWrites();
		long start = System.nanoTime();
		joining.send(Map.of("type", "join", "room", "selector-reads", "ref", "j1"));
		others.forEach(other -> other.send(Map.of("type", "ping", "ref", "p")));
		others.forEach(other -> assertThat(other.next("pong")).isNotNull());
		long pongsMillis = (System.nanoTime() - start) / 1_000_000;
		JsonNode joined = joining.next("joined");
		long joinedMillis = (System.nanoTime() - start) / 1_000_000;

		assertThat(pongsMillis).as("every pong came while the join waited for Redis").isLessThan(PAUSE_MILLIS / 2);
		assertThat(joinedMillis).as("the join waited for Redis").isGreaterThanOrEqualTo(PAUSE_MILLIS / 2);
		assertThat(joined.path("room").asString()).isEqualTo("selector-reads");
	}

	@Test
	void framesArrivingInPiecesAndTogetherAreEachReadWhole() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(port, http.guest("Pieces").token())) {
			assertThat(raw.read().text()).contains("\"welcome\"");
			byte[] first = ping("first");
			// the server reads the first piece alone, finding the socket empty after it
			raw.sendBytes(Arrays.copyOfRange(first, 0, 9));
			Thread.sleep(300);
			raw.sendBytes(Arrays.copyOfRange(first, 9, first.length));
			assertThat(raw.read().text()).contains("\"pong\"", "\"first\"");
			Thread.sleep(300);
			raw.sendBytes(concat(ping("second"), ping("third")));
			assertThat(raw.read().text()).contains("\"second\"");
			assertThat(raw.read().text()).contains("\"third\"");
			for (int i = 0; i < 20; i++) {
				raw.sendBytes(ping("quick" + i));
				assertThat(raw.read().text()).contains("\"quick" + i + "\"");
			}
		}
	}

	private static byte[] ping(String ref) {
		return RawWebSocket.frame(0x1, true, bytes("{\"type\":\"ping\",\"ref\":\"" + ref + "\"}"));
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] both = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, both, a.length, b.length);
		return both;
	}

	private WsClient welcomed(String name) {
		WsClient client = http.connectWelcomed(http.guest(name));
		clients.add(client);
		return client;
	}

	private void pauseWrites() {
		redis.execute((RedisCallback<Object>) connection -> connection.execute("CLIENT", bytes("PAUSE"),
				bytes(Long.toString(PAUSE_MILLIS)), bytes("WRITE")));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
