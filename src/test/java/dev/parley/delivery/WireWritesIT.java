package dev.parley.delivery;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.parley.room.RoomService;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.RawWebSocket;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Frames are written to the socket as bytes encoded once per broadcast, next to Jetty's own frames
 * (pongs, pings, close): what a client reads is well-formed WebSocket, whatever order the two
 * writers ran in.
 */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.limits.frame-size=4096", "parley.limits.rate-per-second=100000", "parley.limits.rate-burst=100000",
		"parley.send.buffer-messages=100000", "parley.send.buffer-bytes=67108864" })
class WireWritesIT {

	private static final int TEXT = 0x1;

	private static final int CONTINUATION = 0x0;

	private static final int PING = 0x9;

	private static final int PONG = 0xA;

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	ParleyHttp http;

	@Autowired
	RoomService rooms;

	@Autowired
	Hub hub;

	@Test
	void aReplyLargerThanTheFrameSizeArrivesInFragmentsOfAtMostThatSize() throws Exception {
		String room = newRoom();
		List<String> texts = new ArrayList<>();
		try (WsClient sender = http.connectWelcomed(http.guest("Long"))) {
			sender.request(Map.of("type", "join", "room", room));
			for (int i = 0; i < 5; i++) {
				texts.add(i + "é".repeat(1500));
				assertThat(sender.request(Map.of("type", "message", "room", room, "text", texts.get(i)))
					.path("type")
					.asString()).isEqualTo("ack");
			}
		}
		try (RawWebSocket raw = RawWebSocket.connect(port, http.guest("Reader").token())) {
			assertThat(raw.read().text()).contains("\"welcome\"");
			raw.sendText("{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"j\"}");

			List<RawWebSocket.Frame> fragments = new ArrayList<>();
			ByteArrayOutputStream message = new ByteArrayOutputStream();
			RawWebSocket.Frame frame;
			do {
				frame = raw.read();
				fragments.add(frame);
				message.write(frame.payload());
			}
			while (!frame.fin());

			assertThat(fragments).hasSizeGreaterThan(3).allMatch(fragment -> fragment.payload().length <= 4096);
			assertThat(fragments.get(0).opcode()).isEqualTo(TEXT);
			assertThat(fragments.subList(1, fragments.size())).allMatch(fragment -> fragment.opcode() == CONTINUATION);
			JsonNode joined = json.readTree(message.toString(StandardCharsets.UTF_8));
			assertThat(joined.path("ref").asString()).isEqualTo("j");
			assertThat(joined.path("history").findValuesAsString("text")).containsExactlyElementsOf(texts);
		}
	}

	@Test
	void aPongWhileAWriteWaitsForTheClientFollowsItIntactAndNothingIsLost() throws Exception {
		String room = newRoom();
		Guest stalling = http.guest("Stalling");
		int messages = 1600;
		String text = "z".repeat(3900);
		try (RawWebSocket raw = RawWebSocket.connect(port, stalling.token(), "", 4096);
				WsClient sender = http.connectWelcomed(http.guest("Flood"))) {
			assertThat(raw.read().text()).contains("\"welcome\"");
			raw.sendText("{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"j\"}");
			assertThat(raw.read().text()).contains("\"ref\":\"j\"");
			sender.request(Map.of("type", "join", "room", room));

			// one at a time: a flood of them could be shed as busy on a loaded machine, and this is about the writes
			for (int i = 0; i < messages; i++) {
				assertThat(sender.request(Map.of("type", "message", "room", room, "text", text + i)).path("type")
					.asString()).isEqualTo("ack");
			}
			Client stalled = hub.clientsOf(stalling.id()).iterator().next();
			await().until(() -> stalled.queuedFrames() > 0 && hub.clientsOf(stalling.id()).size() == 1);
			raw.send(PING, true, "p1".getBytes(StandardCharsets.UTF_8));

			int received = 0;
			boolean ponged = false;
			while (received < messages || !ponged) {
				RawWebSocket.Frame frame = raw.read();
				assertThat(frame.opcode()).as("no close, no stray bytes").isIn(TEXT, PONG, PING);
				if (frame.opcode() == PONG) {
					assertThat(frame.text()).isEqualTo("p1");
					ponged = true;
				}
				else if (frame.opcode() == TEXT) {
					JsonNode event = json.readTree(frame.text());
					if ("message".equals(event.path("type").asString())) {
						assertThat(event.path("text").asString()).isEqualTo(text + received);
						received++;
					}
				}
			}
			assertThat(hub.clientsOf(stalling.id())).containsExactly(stalled);
		}
	}

	private String newRoom() {
		String room = "wire-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
		rooms.createIfAbsent(room, "Wire", "");
		return room;
	}

}
