package dev.parley.config;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The management port: Prometheus metrics and health on a port of its own, open without a login,
 * and nothing of it on the chat port but the probes.
 */
@ParleyIntegrationTest
class ManagementPortIT {

	@LocalManagementPort
	int managementPort;

	@LocalServerPort
	int port;

	@Autowired
	ParleyHttp http;

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void theManagementPortIsItsOwnAndTheChatPortServesOnlyTheProbes() throws Exception {
		assertThat(managementPort).isPositive().isNotEqualTo(port);
		assertThat(get(managementPort, "/actuator/health").body()).contains("\"UP\"");
		assertThat(get(managementPort, "/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(get(managementPort, "/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(get(managementPort, "/actuator/prometheus").headers().firstValue("Set-Cookie"))
			.as("no session on the management port").isEmpty();

		assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
		assertThat(get(port, "/livez").statusCode()).isEqualTo(200);
		assertThat(get(port, "/actuator/prometheus").statusCode()).as("not on the chat port").isIn(302, 401, 404);
		assertThat(get(port, "/actuator/prometheus").body()).doesNotContain("parley_connections");
	}

	@Test
	void prometheusReadsTheMessagePathsCountersHandshakesAndClosesAndTheJvmAndJetty() throws Exception {
		double storedBefore = value("parley_messages_stored_total");
		double acceptedBefore = value("parley_handshakes_total{outcome=\"accepted\"");
		double refusedBefore = value("parley_handshakes_total{outcome=\"401\"");
		assertThat(WsClient.refusedStatus(http.wsUrl(), Map.of("Authorization", "Bearer no-such-token"))).isEqualTo(401);
		Guest ann = http.guest("Metered");
		try (WsClient ws = http.connectWelcomed(ann)) {
			ws.request(Map.of("type", "join", "room", "lobby"));
			ws.request(Map.of("type", "message", "room", "lobby", "text", "counted"));
			ws.next("message");

			String scrape = get(managementPort, "/actuator/prometheus").body();
			assertThat(value(scrape, "parley_connections")).isGreaterThanOrEqualTo(1);
			assertThat(value(scrape, "parley_messages_stored_total")).isEqualTo(storedBefore + 1);
			assertThat(value(scrape, "parley_deliveries_total")).isGreaterThanOrEqualTo(1);
			assertThat(value(scrape, "parley_handshakes_total{outcome=\"accepted\"")).isEqualTo(acceptedBefore + 1);
			assertThat(value(scrape, "parley_handshakes_total{outcome=\"401\"")).isEqualTo(refusedBefore + 1);
			assertThat(value(scrape, "parley_store_batches_total")).isPositive();
			assertThat(value(scrape, "parley_store_batched_total"))
				.isGreaterThanOrEqualTo(value(scrape, "parley_store_batches_total"));
			assertThat(value(scrape, "parley_redis_store_seconds_count")).isPositive();
			assertThat(scrape).contains("parley_send_lag_seconds", "parley_stores_pending",
					"parley_messages_refused_total{", "jvm_memory_used_bytes", "jvm_threads_live_threads",
					"jetty_threads_", "process_cpu_usage");
		}
		assertThat(scrapeWhenClosed()).as("the server closed the kicked connection with its code").contains(
				"parley_closes_total{code=\"4004\"");
	}

	@Test
	void everyMetricTheGrafanaDashboardChartsIsScraped() throws Exception {
		String dashboard = Files.readString(Path.of("deploy/grafana/dashboards/parley.json"));
		Matcher names = Pattern.compile("\\b(?:parley|jvm|process|jetty)_[a-z_]+").matcher(dashboard);
		List<String> charted = new ArrayList<>();
		while (names.find()) {
			charted.add(names.group());
		}
		assertThat(charted).hasSizeGreaterThan(10);
		String scrape = get(managementPort, "/actuator/prometheus").body();
		assertThat(charted).allSatisfy(name -> assertThat(scrape).as(name).contains("\n" + name));
	}

	/** A connection the server ends (here: a logout everywhere, 4004), and the scrape that follows. */
	private String scrapeWhenClosed() throws Exception {
		String username = "metered" + System.nanoTime() % 1_000_000;
		http.postJson("/api/users", Map.of("username", username, "password", "metered password"));
		String session = http.formLogin(username, "metered password");
		try (WsClient ws = WsClient.connect(http.wsUrl(), Map.of("Cookie", session))) {
			ws.next("welcome");
			http.form("/logout", session, ParleyHttp.csrfToken(http.page("/", session).body()), Map.of());
			assertThat(ws.awaitClose()).isEqualTo(4004);
		}
		return get(managementPort, "/actuator/prometheus").body();
	}

	private double value(String name) throws Exception {
		return value(get(managementPort, "/actuator/prometheus").body(), name);
	}

	/** The value of the first sample whose line starts with {@code name} (a metric and the start of its labels); 0 when none. */
	private static double value(String scrape, String name) {
		Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(name) + "[^ ]* ([0-9.eE+-]+)$").matcher(scrape);
		return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
	}

	private HttpResponse<String> get(int on, String path) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + on + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
