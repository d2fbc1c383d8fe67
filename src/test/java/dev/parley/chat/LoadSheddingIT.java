package dev.parley.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Past {@code parley.limits.pending-stores} messages are refused at once instead of queueing: each
 * refused one gets {@code unavailable}, is neither stored nor delivered, and every acknowledged one is.
 */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.limits.pending-stores=1", "parley.rooms.initial=shed" })
class LoadSheddingIT {

	private static final int SENDERS = 5;

	private static final int EACH = 20;

	@LocalServerPort
	int port;

	@Test
	void messagesPastThePendingLimitAreRefusedAndEveryAcknowledgedOneIsStored() {
		ParleyHttp http = new ParleyHttp(port);
		List<WsClient> clients = new ArrayList<>();
		try {
			for (int i = 0; i < SENDERS; i++) {
				WsClient client = http.connectWelcomed(http.guest("shed" + i));
				client.request(Map.of("type", "join", "room", "shed"));
				clients.add(client);
			}
			for (int n = 0; n < EACH; n++) {
				for (int i = 0; i < SENDERS; i++) {
					clients.get(i).send(Map.of("type", "message", "room", "shed", "text", i + "-" + n, "ref", i + "-" + n));
				}
			}
			Set<String> acked = new HashSet<>();
			int refused = 0;
			for (int i = 0; i < SENDERS; i++) {
				for (JsonNode reply : replies(clients.get(i))) {
					if ("ack".equals(reply.path("type").asString())) {
						acked.add(reply.path("id").asString());
					}
					else {
						assertThat(reply.path("code").asString()).isEqualTo("unavailable");
						assertThat(reply.path("message").asString()).contains("busy");
						refused++;
					}
				}
			}
			assertThat(refused).as("some messages found the one pending store taken").isPositive();
			assertThat(acked).as("and others were stored").isNotEmpty().hasSize(SENDERS * EACH - refused);

			JsonNode history = clients.get(0).request(Map.of("type", "history", "room", "shed", "limit", 100));
			Set<String> stored = new HashSet<>();
			history.path("messages").forEach(message -> stored.add(message.path("id").asString()));
			assertThat(stored).isEqualTo(acked);
		}
		finally {
			clients.forEach(WsClient::close);
		}
	}

	/** The replies to the client's {@value #EACH} messages, in whatever order they came: a refusal overtakes earlier acks. */
	private static List<JsonNode> replies(WsClient client) {
		Map<String, JsonNode> byRef = new HashMap<>();
		while (byRef.size() < EACH) {
			JsonNode reply = client.next(frame -> frame.has("ref"), "reply");
			byRef.put(reply.path("ref").asString(), reply);
		}
		return new ArrayList<>(byRef.values());
	}

}
