package dev.parley.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

	/**
	 * Form login as a browser does it: fetch the page and its CSRF token, post them back.
	 *
	 * @return the session cookie ({@code SESSION=...})
	 */
	public String formLogin(String username, String password) {
		return formLogin("/login", username, password);
	}

	/** Form login on the given login page; see {@link #formLogin(String, String)}. */
	public String formLogin(String loginPath, String username, String password) {
		HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
		try {
			HttpResponse<String> page = noRedirects.send(HttpRequest.newBuilder(URI.create(base + loginPath)).build(),
					HttpResponse.BodyHandlers.ofString());
			String csrf = csrfToken(page.body());
			HttpResponse<String> login = noRedirects.send(HttpRequest.newBuilder(URI.create(base + loginPath))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("Cookie", sessionCookie(page))
				.POST(HttpRequest.BodyPublishers.ofString("username=" + username + "&password="
						+ password.replace(" ", "+") + "&_csrf=" + csrf))
				.build(), HttpResponse.BodyHandlers.ofString());
			String location = login.headers().firstValue("Location").orElse("");
			if (login.statusCode() != 302 || location.contains("error")) {
				throw new IllegalStateException("login failed: " + login.statusCode() + " " + location);
			}
			return sessionCookie(login);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The CSRF token of the first form on a page. */
	public static String csrfToken(String page) {
		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
		if (!csrf.find()) {
			throw new IllegalStateException("the page's form carries no CSRF token");
		}
		return csrf.group(1);
	}

	private static String sessionCookie(HttpResponse<?> response) {
		return setSessionCookie(response).orElseThrow(() -> new IllegalStateException("no session cookie"));
	}

	/** The session cookie ({@code SESSION=...}) the response sets, if it sets one. */
	public static Optional<String> setSessionCookie(HttpResponse<?> response) {
		return response.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter(c -> c.startsWith("SESSION="))
			.map(c -> c.substring(0, c.indexOf(';')))
			.findFirst();
	}

	public record Guest(String token, String id, String name) {
	}

}
