package dev.parley.config;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.parley.support.JarProcess;
import dev.parley.support.ParleyHttp;
import dev.parley.support.TestRedis;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged app with {@code logging.structured.format.console=logstash}: every line it writes is
 * one JSON object, and a line written while serving a request carries that request's id, nginx's
 * {@code X-Request-Id} when it sent one.
 */
class StructuredLogsIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void everyLineIsJsonAndARequestsLinesCarryItsId() throws Exception {
		TestRedis redis = new TestRedis();
		try (JarProcess app = JarProcess.start(redis.port(), "logging.structured.format.console=logstash",
				"parley.admin.password=structured logs secret")) {
			ParleyHttp http = app.http();
			String session = http.formLogin("/admin/login", "admin", "structured logs secret");
			String csrf = ParleyHttp.csrfToken(http.page("/admin/rooms", session).body());
			HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest
				.newBuilder(URI.create(http.base() + "/admin/rooms"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("Cookie", session)
				.header("X-Request-Id", "nginx-request-42")
				.POST(HttpRequest.BodyPublishers.ofString("slug=logged&name=Logged&_csrf="
						+ URLEncoder.encode(csrf, StandardCharsets.UTF_8)))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(created.headers().firstValue("X-Request-Id")).hasValue("nginx-request-42");
			HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/login"))
				.header("X-Request-Id", "bad id\" injected")
				.build());
			assertThat(forged.headers().firstValue("X-Request-Id")).hasValueSatisfying(
					id -> assertThat(id).matches("[0-9a-f]{32}"));

			Awaitility.await().untilAsserted(() -> assertThat(lines(app.output()))
				.anySatisfy(line -> {
					assertThat(line.path("message").asString()).contains("Audit:", "create room", "logged");
					assertThat(line.path("requestId").asString()).isEqualTo("nginx-request-42");
				}));
			List<String> text = app.output().lines().filter(line -> !line.isBlank()).toList();
			assertThat(text).hasSizeGreaterThan(5).allSatisfy(line -> assertThat(JSON.readTree(line).isObject())
				.as(line).isTrue());
			assertThat(app.output()).doesNotContain("structured logs secret");
		}
		finally {
			redis.close();
		}
	}

	private static List<JsonNode> lines(String output) {
		return output.lines().filter(line -> line.startsWith("{")).map(JSON::readTree).toList();
	}

}
