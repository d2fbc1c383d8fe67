package dev.parley.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Real HTTP calls to a running Parley. */
public final class ParleyHttp {

	private final String base;

	private final HttpClient http = HttpClient.newHttpClient();

	private final HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

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
		return postJson(path, body, Map.of());
	}

	public HttpResponse<String> postJson(String path, Object body, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(WsClient.JSON.writeValueAsString(body)));
		headers.forEach(request::header);
		return send(request.build());
	}

	public HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
	}

	public HttpResponse<String> send(HttpRequest request) {
		return send(http, request);
	}

	/**
	 * {@code POST /api/files} with one multipart field {@code file}, as a browser sends it: this
	 * name and claimed type; with the bearer token when not null.
	 */
	public HttpResponse<String> upload(String token, String name, String claimedType, byte[] content) {
		String boundary = "parley-test-" + System.nanoTime();
		byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
				+ "\"\r\nContent-Type: " + claimedType + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
		byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
		byte[] body = new byte[head.length + content.length + tail.length];
		System.arraycopy(head, 0, body, 0, head.length);
		System.arraycopy(content, 0, body, head.length, content.length);
		System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/files"))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return send(request.build());
	}

	/** A JSON API call as a signed-in client makes it, with the bearer token when not null: GET without a body, POST with one. */
	public HttpResponse<String> api(String token, String path, Object body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
		if (body == null) {
			request.GET();
		}
		else {
			request.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(WsClient.JSON.writeValueAsString(body)));
		}
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return send(request.build());
	}

	/** A GET whose body is kept as bytes; with the bearer token when not null. */
	public HttpResponse<byte[]> download(String path, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return send(noRedirects, request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	/** {@code POST /api/push} with this push API key and JSON body. */
	public HttpResponse<String> push(String key, String body) {
		return send(HttpRequest.newBuilder(URI.create(base + "/api/push"))
			.header("Authorization", "Bearer " + key)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	/** A page as a browser asks for it, with the session cookie when not null; redirects are not followed. */
	public HttpResponse<String> page(String path, String cookie) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/html");
		return send(noRedirects, (cookie == null ? request : request.header("Cookie", cookie)).build());
	}

	/** A GET with the session cookie when not null, accepting any type; redirects are not followed. */
	public HttpResponse<String> get(String path, String cookie) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
		return send(noRedirects, (cookie == null ? request : request.header("Cookie", cookie)).build());
	}

	/** A form post, with the CSRF token when not null; redirects are not followed. */
	public HttpResponse<String> form(String path, String cookie, String csrf, Map<String, String> fields) {
		Map<String, String> form = new LinkedHashMap<>(fields);
		if (csrf != null) {
			form.put("_csrf", csrf);
		}
		String body = form.entrySet()
			.stream()
			.map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		return send(noRedirects, (cookie == null ? request : request.header("Cookie", cookie)).build());
	}

	/** Where a redirect points; fails unless the response is one. */
	public static String location(HttpResponse<?> response) {
		assertThat(response.statusCode()).as("a redirect").isEqualTo(302);
		return response.headers().firstValue("Location").orElseThrow();
	}

	/** The session cookie after a response: a new one when the response set it, else the one sent. */
	public static String cookie(HttpResponse<?> response, String sent) {
		return setSessionCookie(response).orElse(sent);
	}

	private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
		return send(client, request, HttpResponse.BodyHandlers.ofString());
	}

	private static <T> HttpResponse<T> send(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> body) {
		try {
			return client.send(request, body);
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

	/** A browser that joined as a guest through the login page's form; returns its session cookie. */
	public String guestBrowser(String name) {
		HttpResponse<String> page = page("/login", null);
		String session = setSessionCookie(page).orElseThrow();
		HttpResponse<String> joined = form("/guest", session, csrfToken(page.body()), Map.of("name", name));
		return setSessionCookie(joined).orElse(session);
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

	/** The status line of an answer read off a raw socket, up to its CR. */
	public static String statusLine(java.io.InputStream in) throws java.io.IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) >= 0 && c != '\r') {
			line.append((char) c);
		}
		return line.toString();
	}

}
