package dev.parley.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import dev.parley.delivery.Client;
import dev.parley.delivery.Hub;
import dev.parley.room.RoomService;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyInstance;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Java client (client/) against the running app over real sockets: answers as futures, events,
 * a connection the server drops that comes back and delivers what was missed (more than one
 * history page of it) in order and once each, and a refusal that is final.
 */
@ParleyIntegrationTest
class JavaClientIT {

	@Autowired
	ParleyHttp http;

	@Autowired
	Hub hub;

	@Autowired
	RoomService rooms;

	@Test
	void framesAreAnsweredByFuturesAndEventsReachListeners() throws Exception {
		Guest guest = http.guest("Javan");
		String room = ParleyInstance.newRoom(rooms, "java");
		try (ParleyClient client = client(guest); WsClient other = http.connectWelcomed(http.guest("Other"))) {
			List<String> texts = new CopyOnWriteArrayList<>();
			client.on("message", message -> texts.add(message.path("text").asString()));

			assertThat(client.connect().get(10, TimeUnit.SECONDS).path("user").path("id").asString()).isEqualTo(guest.id());
			assertThat(client.join(room).get(10, TimeUnit.SECONDS).path("type").asString()).isEqualTo("joined");
			JsonNode ack = client.send(Map.of("type", "message", "room", room, "text", "from Java")).get(10, TimeUnit.SECONDS);
			assertThat(ack.path("type").asString()).isEqualTo("ack");
			assertThatThrownBy(() -> client.send(Map.of("type", "message", "room", "no-such-room", "text", "lost")).join())
				.isInstanceOf(CompletionException.class)
				.cause()
				.isInstanceOfSatisfying(ParleyException.class, refused -> assertThat(refused.code()).isEqualTo("not_found"));

			other.request(Map.of("type", "join", "room", room));
			String last = other.request(Map.of("type", "message", "room", room, "text", "from the other")).path("id")
				.asString();
			await().atMost(Duration.ofSeconds(10)).until(() -> texts.equals(List.of("from Java", "from the other")));
			assertThat(client.lastSeen(room)).as("where a resume would start").contains(last);
		}
	}

	/**
	 * While the client waits to reconnect (the offline state is told before the next try is
	 * scheduled), more than a history page (100) is sent to one room, from several connections so that
	 * no rate limit applies, and one message to a room that was empty when joined.
	 */
	@Test
	void aDroppedConnectionComesBackWithWhatWasMissedInOrderAndOnceEach() throws Exception {
		Guest guest = http.guest("Resumer");
		Guest sender = http.guest("Sender");
		String busy = ParleyInstance.newRoom(rooms, "busy");
		String quiet = ParleyInstance.newRoom(rooms, "quiet");
		List<WsClient> senders = IntStream.range(0, 4).mapToObj(i -> http.connectWelcomed(sender)).toList();
		try (ParleyClient client = client(guest)) {
			List<String> texts = new CopyOnWriteArrayList<>();
			List<String> states = new CopyOnWriteArrayList<>();
			client.on("message", message -> texts.add(message.path("room").asString() + ":" + message.path("text").asString()));
			client.on("state", state -> states.add(state.path("state").asString()));
			client.connect().get(10, TimeUnit.SECONDS);
			client.join(busy).get(10, TimeUnit.SECONDS);
			client.join(quiet).get(10, TimeUnit.SECONDS);
			senders.get(0).request(Map.of("type", "join", "room", busy));
			senders.get(0).request(Map.of("type", "join", "room", quiet));
			send(senders.get(0), busy, "before");
			await().atMost(Duration.ofSeconds(10)).until(() -> texts.equals(List.of(busy + ":before")));

			List<String> missed = IntStream.range(0, 120).mapToObj(i -> "missed " + i).toList();
			AtomicBoolean away = new AtomicBoolean();
			client.on("state", state -> {
				if (state.path("state").asString().equals("offline") && away.compareAndSet(false, true)) {
					for (int i = 0; i < missed.size(); i++) {
						send(senders.get(i % senders.size()), busy, missed.get(i));
					}
					send(senders.get(1), quiet, "while away");
				}
			});
			hub.clientsOf(guest.id()).forEach(connection -> connection.close(Client.RESUME));
			await().atMost(Duration.ofSeconds(20)).until(() -> states.lastIndexOf("online") > states.indexOf("offline"));
			send(senders.get(0), busy, "after");

			List<String> expected = new ArrayList<>();
			expected.add(busy + ":before");
			missed.forEach(text -> expected.add(busy + ":" + text));
			expected.add(busy + ":after");
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(texts).as("states %s", states)
				.containsExactlyInAnyOrderElementsOf(concat(expected, quiet + ":while away")));
			assertThat(texts.stream().filter(text -> text.startsWith(busy))).as("the busy room, in order")
				.containsExactlyElementsOf(expected);
		}
		finally {
			senders.forEach(WsClient::close);
		}
	}

	private static void send(WsClient sender, String room, String text) {
		assertThat(sender.request(Map.of("type", "message", "room", room, "text", text)).path("type").asString())
			.isEqualTo("ack");
	}

	private static List<String> concat(List<String> list, String last) {
		List<String> all = new ArrayList<>(list);
		all.add(last);
		return all;
	}

	@Test
	void aRefusedHandshakeEndsTheClientInsteadOfRetrying() {
		List<JsonNode> states = new CopyOnWriteArrayList<>();
		try (ParleyClient client = ParleyClient.builder(URI.create(http.wsUrl())).token("not-a-token").build()) {
			client.on("state", states::add);
			assertThatThrownBy(() -> client.connect().get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ParleyException.class);
			assertThat(states).last().satisfies(state -> {
				assertThat(state.path("state").asString()).isEqualTo("closed");
				assertThat(state.path("code").asInt()).isEqualTo(401);
			});
			assertThat(states).noneMatch(state -> state.path("state").asString().equals("offline"));
		}
	}

	private ParleyClient client(Guest guest) {
		return ParleyClient.builder(URI.create(http.wsUrl())).token(guest.token()).build();
	}

}
