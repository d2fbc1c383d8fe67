package dev.parley.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/** Real HTTP calls to a running Parley. */
public final class ParleyHttp {

	private final String base;

	private final HttpClient http = HttpClient.newHttpClient();

	public ParleyHttp(int port) {
		this("http://localhost:" + port);
	}

	public ParleyHttp(String base) {
		this.base = base;
	}

	public String wsUrl() {
		return base.replaceFirst("^http", "ws") + "/ws";
	}

	public String base() {
		return base;
	}

	public HttpResponse<String> postJson(String path, Object body) {
		return send(HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(WsClient.JSON.writeValueAsString(body)))
			.build());
	}

	public HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
	}

	public HttpResponse<String> send(HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public static JsonNode json(HttpResponse<String> response) {
		return WsClient.JSON.readTree(response.body());
	}

	/** A new guest: its token and user. */
	public Guest guest(String name) {
		JsonNode body = json(postJson("/api/auth/guest", Map.of("name", name)));
		return new Guest(body.path("token").asString(), body.path("user").path("id").asString(),
				body.path("user").path("name").asString());
	}

	public WsClient connect(Guest guest) {
		return WsClient.connect(wsUrl(), Map.of("Authorization", "Bearer " + guest.token()));
	}

	/** Connects and reads the welcome frame. */
	public WsClient connectWelcomed(Guest guest) {
		WsClient client = connect(guest);
		client.next("welcome");
		return client;
	}

	public record Guest(String token, String id, String name) {
	}

}
