package dev.parley.chat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.parley.room.RoomService;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.RawWebSocket;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input gets a clear error with its code, changes nothing, and keeps the connection open. */
@ParleyIntegrationTest
class ProtocolErrorsIT {

	@LocalServerPort
	int port;

	@Autowired
	RoomService rooms;

	@Autowired
	ParleyHttp http;

	String room;

	WsClient ws;

	@BeforeEach
	void setUp() {
		room = "e-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
		rooms.createIfAbsent(room, "Errors", "");
		ws = http.connectWelcomed(http.guest("Eve"));
	}

	@org.junit.jupiter.api.AfterEach
	void tearDown() {
		ws.close();
	}

	private void assertStillOpen() {
		ws.send(Map.of("type", "ping"));
		assertThat(ws.next("pong")).isNotNull();
		assertThat(ws.isClosed()).isFalse();
	}

	private JsonNode error() {
		return ws.next("error");
	}

	@Test
	void malformedJsonIsABadRequest() {
		ws.sendText("{\"type\":\"message\",");
		assertThat(error().path("code").asString()).isEqualTo("bad_request");
		assertStillOpen();
	}

	@Test
	void aFrameThatIsNotAnObjectIsABadRequest() {
		ws.sendText("[1,2,3]");
		assertThat(error().path("code").asString()).isEqualTo("bad_request");
		assertStillOpen();
	}

	@Test
	void aJsonNullIsABadRequest() {
		ws.sendText("null");
		assertThat(error().path("code").asString()).isEqualTo("bad_request");
		assertStillOpen();
	}

	@Test
	void wrongFieldTypesAreABadRequestThatStillCarriesTheRef() {
		ws.sendText("{\"type\":\"message\",\"room\":{\"x\":1},\"text\":\"hi\",\"ref\":\"w1\"}");
		JsonNode error = error();
		assertThat(error.path("code").asString()).isEqualTo("bad_request");
		assertThat(error.path("ref").asString()).isEqualTo("w1");
		assertStillOpen();
	}

	@Test
	void aFrameWithoutTypeIsABadRequest() {
		assertThat(ws.request(Map.of("room", room)).path("code").asString()).isEqualTo("bad_request");
		assertStillOpen();
	}

	@Test
	void anUnknownTypeIsUnknownType() {
		JsonNode error = ws.request(Map.of("type", "dance"));
		assertThat(error.path("type").asString()).isEqualTo("error");
		assertThat(error.path("code").asString()).isEqualTo("unknown_type");
		assertThat(error.path("message").asString()).contains("dance");
		assertStillOpen();
	}

	@Test
	void binaryFramesAreABadRequest() {
		ws.sendBinary(new byte[] { 1, 2, 3 });
		assertThat(error().path("code").asString()).isEqualTo("bad_request");
		assertStillOpen();
	}

	@Test
	void joiningAnUnknownRoomIsNotFound() {
		assertThat(ws.request(Map.of("type", "join", "room", "no-such-room")).path("code").asString())
			.isEqualTo("not_found");
		assertThat(ws.request(Map.of("type", "join", "room", "Not A Slug!")).path("code").asString())
			.isEqualTo("not_found");
		assertThat(ws.request(Map.of("type", "join")).path("code").asString()).isEqualTo("bad_request");
		assertStillOpen();
	}

	@Test
	void privateToAnUnknownUserIsNotFound() {
		assertThat(ws.request(Map.of("type", "private", "to", "nobody-here", "text", "hi")).path("code").asString())
			.isEqualTo("not_found");
		assertStillOpen();
	}

	@Test
	void sendingToARoomYouHaveNotJoinedIsNotMemberAndStoresNothing() {
		assertThat(ws.request(Map.of("type", "message", "room", room, "text", "hi")).path("code").asString())
			.isEqualTo("not_member");
		assertThat(ws.request(Map.of("type", "typing", "room", room)).path("code").asString())
			.isEqualTo("not_member");
		assertThat(ws.request(Map.of("type", "history", "room", room)).path("code").asString())
			.isEqualTo("not_member");
		JsonNode joined = ws.request(Map.of("type", "join", "room", room));
		assertThat(joined.path("history").size()).isZero();
	}

	@Test
	void aClosedRoomIsForbidden() {
		rooms.setOpen(room, false);
		assertThat(ws.request(Map.of("type", "join", "room", room)).path("code").asString()).isEqualTo("forbidden");
		rooms.setOpen(room, true);
		ws.request(Map.of("type", "join", "room", room));
		rooms.setOpen(room, false);
		assertThat(ws.request(Map.of("type", "message", "room", room, "text", "hi")).path("code").asString())
			.isEqualTo("forbidden");
		assertStillOpen();
	}

	@Test
	void textOverTheLimitIsTooLargeAndTextAtTheLimitIsAccepted() {
		ws.request(Map.of("type", "join", "room", room));
		assertThat(ws.request(Map.of("type", "message", "room", room, "text", "x".repeat(4001))).path("code")
			.asString()).isEqualTo("too_large");
		assertThat(ws.request(Map.of("type", "message", "room", room, "text", "x".repeat(4000))).path("type")
			.asString()).isEqualTo("ack");
		assertThat(ws.request(Map.of("type", "message", "room", room, "text", "😀".repeat(4000))).path("type")
			.asString()).as("characters, not UTF-16 units").isEqualTo("ack");
		assertThat(ws.request(Map.of("type", "message", "room", room, "text", "  ")).path("code").asString())
			.isEqualTo("bad_request");
		assertStillOpen();
	}

	@Test
	void aBadMessageIdIsABadRequest() {
		ws.request(Map.of("type", "join", "room", room));
		assertThat(ws.request(Map.of("type", "join", "room", room, "since", "yesterday")).path("code").asString())
			.isEqualTo("bad_request");
		assertThat(ws.request(Map.of("type", "history", "room", room, "before", "1-2-3")).path("code").asString())
			.isEqualTo("bad_request");
	}

	@Test
	void framesPastTheRateLimitAreRateLimitedAndTheConnectionStays() {
		for (int i = 0; i < 60; i++) {
			ws.send(Map.of("type", "ping", "ref", "p" + i));
		}
		JsonNode limited = ws.next("error");
		assertThat(limited.path("code").asString()).isEqualTo("rate_limited");
		assertThat(limited.path("ref").asString()).startsWith("p");
		await(1500);
		assertStillOpen();
	}

	@Test
	void aFrameOverTheSizeLimitClosesWith1009() {
		ws.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
		assertThat(ws.awaitClose()).isEqualTo(1009);
	}

	@Test
	void aTextMessageSentInFragmentsIsHandledAsOne() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(port, http.guest("Frag").token())) {
			assertThat(raw.read().text()).contains("\"welcome\"");
			raw.send(0x1, false, "{\"type\":".getBytes(StandardCharsets.UTF_8));
			raw.send(0x0, false, "\"ping\",".getBytes(StandardCharsets.UTF_8));
			raw.send(0x0, true, "\"ref\":\"f1\"}".getBytes(StandardCharsets.UTF_8));
			assertThat(raw.read().text()).contains("\"pong\"").contains("\"f1\"");
		}
	}

	@Test
	void textThatIsNotUtf8ClosesWith1007() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(port, http.guest("Bytes").token())) {
			assertThat(raw.read().text()).contains("\"welcome\"");
			raw.send(0x1, true, new byte[] { '{', (byte) 0xC3, (byte) 0x28, '}' });
			RawWebSocket.Frame frame = raw.read();
			assertThat(frame.opcode()).isEqualTo(0x8);
			assertThat(frame.closeCode()).isEqualTo(1007);
		}
	}

	private static void await(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
