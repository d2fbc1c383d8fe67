package dev.parley.reliability;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.parley.config.RedisKeys;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON endpoints under seeded fuzzing (malformed, truncated, wrong-type, nested, invalid-UTF-8
 * bodies, wrong content types): every answer is a 4xx with a reason, never a server error or the
 * server's insides, and no account, guest, token or push is left behind. Bodies over the size limit
 * are RequestLimitsIT's: the server answers them before reading them, which the JDK's client, still
 * sending, cannot read.
 */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.push.keys=fuzz-push-key-0123456789" })
class HttpFuzzIT {

	private static final int REQUESTS_PER_ENDPOINT = 400;

	private static final List<String> ENDPOINTS = List.of("/api/users", "/api/auth/token", "/api/auth/guest",
			"/api/push");

	/**
	 * Keys that a refused request may still write (its throttle count, a login failure, a session),
	 * and those the instance's own schedules write meanwhile (its numbers, and their history).
	 */
	private static final List<String> ALLOWED = List.of("parley:throttle:", "parley:login-failures:",
			"parley:session", "parley:instance", RedisKeys.STATS_HISTORY);

	@Autowired
	ParleyHttp http;

	@Autowired
	StringRedisTemplate redis;

	@Test
	void malformedJsonBodiesAre4xxWithAReasonAndLeaveNothingBehind() {
		long seed = Long.getLong("parley.fuzz.seed", System.nanoTime());
		System.out.println("http-fuzz: seed " + seed);
		Random random = new Random(seed);
		Set<String> before = keys();
		List<String> wrong = new ArrayList<>();
		for (String endpoint : ENDPOINTS) {
			for (int i = 0; i < REQUESTS_PER_ENDPOINT; i++) {
				Body body = body(random, endpoint.equals("/api/auth/guest"));
				HttpResponse<String> response = http.send(request(endpoint, body));
				String problem = problem(response);
				if (problem != null) {
					wrong.add(endpoint + " " + body.describe() + " -> " + response.statusCode() + " " + problem);
				}
			}
		}
		assertThat(wrong).as("answers that were not a 4xx with a reason").isEmpty();
		assertNothingStoredSince(before);
	}

	@Test
	void theRegistrationFormRefusesWhatIsInvalidWithAReasonOnThePageAndStoresNothing() {
		long seed = Long.getLong("parley.fuzz.seed", System.nanoTime());
		System.out.println("form-fuzz: seed " + seed);
		Random random = new Random(seed);
		Set<String> before = keys();
		List<String> wrong = new ArrayList<>();
		String[] usernames = { "", "ab", "a".repeat(33), "bad name", "bad/name", "<script>", "\u0000nul", "名前" };
		for (int i = 0; i < 200; i++) {
			HttpResponse<String> page = http.page("/register", null);
			String session = ParleyHttp.setSessionCookie(page).orElseThrow();
			boolean badName = random.nextBoolean();
			String username = badName ? usernames[random.nextInt(usernames.length)] : "form" + random.nextInt(1_000_000);
			String password = badName ? "long enough password" : "x".repeat(random.nextInt(8));
			Map<String, String> fields = new java.util.HashMap<>(Map.of("username", username, "password", password));
			if (random.nextInt(4) == 0) {
				fields.put("displayName", "d".repeat(41 + random.nextInt(100)));
			}
			HttpResponse<String> answer = http.form("/register", session, ParleyHttp.csrfToken(page.body()), fields);
			if (answer.statusCode() != 200 || !answer.body().contains("must be")
					&& !answer.body().contains("is required")) {
				wrong.add(fields + " -> " + answer.statusCode());
			}
			if (answer.body().contains("<script>")) {
				wrong.add(fields + " -> echoed markup");
			}
		}
		assertThat(wrong).as("invalid registrations not refused with a reason on the page").isEmpty();
		assertNothingStoredSince(before);
	}

	private void assertNothingStoredSince(Set<String> before) {
		Set<String> added = new HashSet<>(keys());
		added.removeAll(before);
		added.removeIf(key -> ALLOWED.stream().anyMatch(key::startsWith));
		assertThat(added).as("keys the refused requests left").isEmpty();
	}

	private static String problem(HttpResponse<String> response) {
		int status = response.statusCode();
		if (status < 400 || status >= 500) {
			return "status";
		}
		if (response.body().matches("(?s).*(Exception|java\\.|dev\\.parley|tools\\.jackson|org\\.spring).*")) {
			return "leaks: " + response.body();
		}
		JsonNode json;
		try {
			json = ParleyHttp.json(response);
		}
		catch (RuntimeException ex) {
			return "not JSON: " + response.body();
		}
		String reason = json.path("error").asString();
		return reason.isBlank() || reason.equals("Bad Request") ? "no reason: " + response.body() : null;
	}

	private HttpRequest request(String endpoint, Body body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http.base() + endpoint))
			.header("Content-Type", body.contentType())
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
		if (endpoint.equals("/api/push")) {
			request.header("Authorization", "Bearer fuzz-push-key-0123456789");
		}
		return request.build();
	}

	private Set<String> keys() {
		return new HashSet<>(redis.keys("*"));
	}

	record Body(String contentType, byte[] bytes, String kind) {

		String describe() {
			String text = new String(bytes, StandardCharsets.UTF_8);
			return kind + " " + (text.length() > 80 ? text.substring(0, 80) + "…" : text);
		}

	}

	/**
	 * For the guest endpoint, whose only field is optional and whose names are cleaned rather than
	 * refused, every object gives the name a value that is not a string.
	 */
	private static Body body(Random random, boolean nameRequired) {
		String json;
		int kind = random.nextInt(100);
		if (kind < 5) {
			return new Body("application/json", new byte[] { '{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}' },
					"invalid UTF-8");
		}
		if (kind < 10) {
			return new Body("text/plain", "{\"name\":\"plain\"}".getBytes(StandardCharsets.UTF_8), "content type");
		}
		if (kind < 20) {
			json = "[".repeat(1 + random.nextInt(5000)) + "]".repeat(random.nextInt(5000));
		}
		else if (kind < 45) {
			String whole = "{\"username\":\"fz" + random.nextInt(1000) + "\",\"password\":\"long enough pw\","
					+ "\"name\":\"Fz\",\"user\":\"nobody\",\"data\":{\"a\":1}}";
			json = whole.substring(0, 1 + random.nextInt(whole.length() - 2));
		}
		else if (kind < 85) {
			String[] fields = { "username", "password", "displayName", "name", "room", "user", "broadcast", "data" };
			StringBuilder object = new StringBuilder(nameRequired ? "{\"name\":" + notAString(random) : "{");
			for (int i = random.nextInt(4); i >= 0; i--) {
				if (object.length() > 1) {
					object.append(',');
				}
				object.append('"').append(fields[random.nextInt(fields.length)]).append("\":").append(wrongValue(random));
			}
			json = object.append('}').toString();
		}
		else {
			String[] odd = { "42", "\"text\"", "true", "{}}", "{,}", "{\"a\":}", "{\"name\":{}}", "[]" };
			json = odd[random.nextInt(odd.length)];
		}
		return new Body("application/json", json.getBytes(StandardCharsets.UTF_8), "json");
	}

	private static String notAString(Random random) {
		String value;
		do {
			value = wrongValue(random);
		}
		while (value.startsWith("\""));
		return value;
	}

	/** A value of a type no field of these endpoints has, or a string no valid request holds. */
	private static String wrongValue(Random random) {
		return switch (random.nextInt(6)) {
			case 0 -> Long.toString(random.nextLong());
			case 1 -> "[\"a\",1]";
			case 2 -> "{\"nested\":{\"deeper\":[]}}";
			case 3 -> "1e999";
			case 4 -> "false";
			default -> "\"\\u0000\"";
		};
	}

}
