package dev.parley.chat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/conversations}: whom a user has talked to in private, newest first, over real HTTP. */
@ParleyIntegrationTest
class ConversationApiIT {

	@Autowired
	ParleyHttp http;

	@Test
	void listsBothSidesOfEachConversationNewestFirst() {
		String suffix = Long.toString(System.nanoTime() % 1_000_000);
		String password = "a long password";
		http.postJson("/api/users", Map.of("username", "ann" + suffix, "password", password));
		Guest ben = http.guest("ben" + suffix);
		Guest cy = http.guest("cy" + suffix);
		try (WsClient b = http.connectWelcomed(ben); WsClient c = http.connectWelcomed(cy)) {
			b.request(Map.of("type", "private", "to", "ann" + suffix, "text", "first"));
			c.request(Map.of("type", "private", "to", "ann" + suffix, "text", "second"));
		}

		JsonNode annList = conversations(http.formLogin("ann" + suffix, password));
		assertThat(annList.findValuesAsString("id")).containsExactly(cy.id(), ben.id());
		assertThat(annList.get(0).path("with").path("name").asString()).isEqualTo(cy.name());
		assertThat(annList.get(0).path("last").asLong()).isGreaterThanOrEqualTo(annList.get(1).path("last").asLong());
	}

	@Test
	void aClientWithoutABrowserSessionListsItsConversationsWithItsToken() {
		Guest dee = http.guest("dee");
		Guest eli = http.guest("eli");
		try (WsClient d = http.connectWelcomed(dee)) {
			d.request(Map.of("type", "private", "to", eli.id(), "text", "hi"));
		}

		HttpResponse<String> response = list("Authorization", "Bearer " + eli.token());

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(ParleyHttp.json(response).findValuesAsString("id")).containsExactly(dee.id());
		assertThat(response.headers().firstValue("Set-Cookie")).as("no session for a token call").isEmpty();
	}

	@Test
	void refusesAnUnknownToken() {
		assertThat(list("Authorization", "Bearer not-a-token").statusCode()).isEqualTo(401);
	}

	@Test
	void refusesAnonymousCallers() {
		assertThat(list("Accept", "application/json").statusCode()).isEqualTo(401);
	}

	private JsonNode conversations(String session) {
		HttpResponse<String> response = list("Cookie", session);
		assertThat(response.statusCode()).isEqualTo(200);
		return ParleyHttp.json(response);
	}

	private HttpResponse<String> list(String header, String value) {
		return http.send(HttpRequest.newBuilder(URI.create(http.base() + "/api/conversations"))
			.header(header, value)
			.GET()
			.build());
	}

}
