package dev.parley.push;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/push} over real HTTP, received by real WebSocket clients. */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.push.keys=first-push-key-0123456789,second-push-key-0123456789" })
class PushApiIT {

	private static final String KEY = "second-push-key-0123456789";

	@LocalServerPort
	int port;

	@Autowired
	ParleyHttp http;

	@Test
	void aPushReachesTheUserTheRoomAndEveryone() {
		Guest ann = http.guest("Ann");
		Guest ben = http.guest("Ben");
		try (WsClient a = http.connectWelcomed(ann); WsClient b = http.connectWelcomed(ben)) {
			a.request(Map.of("type", "join", "room", "lobby"));

			HttpResponse<String> accepted = http.push(KEY, "{\"user\":\"" + ben.id() + "\",\"data\":{\"order\":42}}");
			assertThat(accepted.statusCode()).isEqualTo(202);
			assertThat(ParleyHttp.json(accepted).path("id").asString()).isNotBlank();
			JsonNode toBen = b.next("push");
			assertThat(toBen.path("to").asString()).isEqualTo(ben.id());
			assertThat(toBen.path("data").path("order").asInt()).isEqualTo(42);
			assertThat(toBen.path("ts").asLong()).isPositive();
			assertThat(toBen.has("room")).isFalse();

			assertThat(http.push(KEY, "{\"room\":\"lobby\",\"data\":[1,2]}").statusCode()).isEqualTo(202);
			JsonNode toLobby = a.next("push");
			assertThat(toLobby.path("room").asString()).isEqualTo("lobby");
			assertThat(toLobby.path("data").size()).isEqualTo(2);
			b.expectNone("push", 300);

			assertThat(http.push(KEY, "{\"broadcast\":true,\"data\":\"hello\"}").statusCode()).isEqualTo(202);
			assertThat(a.next("push").path("data").asString()).isEqualTo("hello");
			assertThat(b.next("push").path("data").asString()).isEqualTo("hello");
		}
	}

	@Test
	void everyConfiguredKeyIsAcceptedWithTheSchemeInAnyCase() {
		assertThat(http.push("first-push-key-0123456789", "{\"broadcast\":true,\"data\":1}").statusCode()).isEqualTo(202);
		HttpResponse<String> lowerCase = http.send(
				request("{\"broadcast\":true,\"data\":2}").header("Authorization", "bearer " + KEY).build());
		assertThat(lowerCase.statusCode()).isEqualTo(202);
	}

	@Test
	void withoutAValidKeyNothingIsPushed() {
		Guest cat = http.guest("Cat");
		try (WsClient c = http.connectWelcomed(cat)) {
			String body = "{\"broadcast\":true,\"data\":\"spam\"}";
			HttpResponse<String> noKey = http.send(request(body).build());
			assertThat(noKey.statusCode()).isEqualTo(401);
			assertThat(noKey.headers().firstValue("WWW-Authenticate")).contains("Bearer");
			assertThat(ParleyHttp.json(noKey).path("error").asString()).contains("push API key");
			assertThat(http.push("wrong-push-key-0123456789", body).statusCode()).isEqualTo(401);
			assertThat(http.push(KEY + "x", body).statusCode()).isEqualTo(401);
			assertThat(http.push(cat.token(), body).statusCode()).as("a user's chat token is not a push key").isEqualTo(401);
			c.expectNone("push", 300);
		}
	}

	@Test
	void unknownRoomsAndUsersAreNotFound() {
		HttpResponse<String> room = http.push(KEY, "{\"room\":\"no-such-room\",\"data\":1}");
		assertThat(room.statusCode()).isEqualTo(404);
		assertThat(ParleyHttp.json(room).path("error").asString()).contains("no-such-room");
		assertThat(http.push(KEY, "{\"user\":\"no-such-user\",\"data\":1}").statusCode()).isEqualTo(404);
	}

	@Test
	void malformedPushesAreBadRequestsWithAReason() {
		Map<String, String> reasons = Map.of("not json", "not JSON", "[1]", "JSON object",
				"{\"room\":\"lobby\"}", "\"data\" is missing", "{\"data\":1}", "exactly one",
				"{\"room\":\"lobby\",\"broadcast\":true,\"data\":1}", "exactly one",
				"{\"broadcast\":false,\"data\":1}", "must be true", "{\"room\":7,\"data\":1}", "non-empty string",
				"{\"user\":\"\",\"data\":1}", "non-empty string");
		reasons.forEach((body, reason) -> {
			HttpResponse<String> response = http.push(KEY, body);
			assertThat(response.statusCode()).as(body).isEqualTo(400);
			assertThat(ParleyHttp.json(response).path("error").asString()).as(body).contains(reason);
		});
	}

	@Test
	void aBodyOverTheLimitIsRefusedWhetherItsLengthIsDeclaredOrNot() throws IOException {
		Guest dan = http.guest("Dan");
		try (WsClient d = http.connectWelcomed(dan)) {
			String body = "{\"broadcast\":true,\"data\":\"" + "x".repeat(65_536) + "\"}";
			assertThat(http.push(KEY, body).statusCode()).isEqualTo(413);
			HttpResponse<String> chunked = http.send(request(null)
				.header("Authorization", "Bearer " + KEY)
				.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.getBytes())))
				.build());
			assertThat(chunked.statusCode()).isEqualTo(413);
			assertThat(statusLineWithoutSendingTheBody(2 << 20)).contains(" 413 ");
			d.expectNone("push", 300);
			String justUnder = "{\"broadcast\":true,\"data\":\"" + "x".repeat(65_000) + "\"}";
			assertThat(http.push(KEY, justUnder).statusCode()).isEqualTo(202);
			assertThat(d.next("push").path("data").asString()).hasSize(65_000);
		}
	}

	/** Declares a body and sends none: a declared size past what the server reads is refused unread. */
	private String statusLineWithoutSendingTheBody(int declared) throws IOException {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write(("POST /api/push HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + KEY
						+ "\r\nContent-Type: application/json\r\nContent-Length: " + declared + "\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
				.readLine();
		}
	}

	private HttpRequest.Builder request(String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http.base() + "/api/push"))
			.header("Content-Type", "application/json");
		return body == null ? request : request.POST(HttpRequest.BodyPublishers.ofString(body));
	}

}
