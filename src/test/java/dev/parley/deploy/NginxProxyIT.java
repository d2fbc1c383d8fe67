package dev.parley.deploy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.parley.delivery.Hub;
import dev.parley.support.Nginx;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyInstance;
import dev.parley.support.TwoInstances;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Two instances of Parley behind a real nginx running the repository's config. */
class NginxProxyIT {

	static final String PUSH_KEY = "proxied-push-key-0123456789";

	@RegisterExtension
	static final TwoInstances instances = TwoInstances.withProperties("server.forward-headers-strategy=native",
			"parley.push.keys=" + PUSH_KEY);

	static Nginx nginx;

	@BeforeAll
	static void start() {
		nginx = Nginx.start(List.of(instances.a().port(), instances.b().port()));
	}

	@AfterAll
	static void stop() {
		nginx.close();
	}

	@Test
	void pagesAndTheApiWorkThroughTheProxy() {
		ParleyHttp http = nginx.http();
		assertThat(http.get("/login").statusCode()).isEqualTo(200);
		assertThat(http.get("/login").body()).contains("_csrf");
		assertThat(http.get("/css/parley.css").headers().allValues("Cache-Control")).containsExactlyInAnyOrder(
				"max-age=3600", "public");
		assertThat(http.guest("Proxied").token()).isNotBlank();
	}

	@Test
	void aFileOfSeveralMegabytesUploadsThroughTheProxyAndEitherInstanceServesIt() {
		ParleyHttp http = nginx.http();
		Guest ann = http.guest("Uploader");
		byte[] text = new byte[3 * 1024 * 1024];
		Arrays.fill(text, (byte) 'p');

		HttpResponse<String> uploaded = http.upload(ann.token(), "big.txt", "text/plain", text);

		assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
		String url = ParleyHttp.json(uploaded).path("file").path("url").asString();
		for (ParleyInstance instance : instances.both()) {
			assertThat(instance.http().download(url, ann.token()).body()).hasSize(text.length);
		}
		byte[] tooLarge = new byte[12 * 1024 * 1024];
		assertThat(http.upload(ann.token(), "huge.txt", "text/plain", tooLarge).statusCode()).isEqualTo(413);
	}

	@Test
	void aClientsOwnXForwardedForDoesNotDodgeTheLoginThrottleThroughTheProxy() {
		ParleyHttp http = nginx.http();
		String username = "spoof" + System.nanoTime() % 1_000_000;
		http.postJson("/api/users", Map.of("username", username, "password", "through nginx"));
		for (int i = 0; i < 10; i++) {
			assertThat(http.postJson("/api/auth/token", Map.of("username", username, "password", "wrong"),
					Map.of("X-Forwarded-For", "203.0.113." + i, "Forwarded", "for=203.0.113." + i)).statusCode())
				.isEqualTo(401);
		}
		assertThat(http.postJson("/api/auth/token", Map.of("username", username, "password", "through nginx"),
				Map.of("X-Forwarded-For", "203.0.113.200")).statusCode()).isEqualTo(429);
	}

	@Test
	void formLoginWorksThroughTheProxyAndTheSessionKeepsWorking() {
		ParleyHttp http = nginx.http();
		String username = "proxied" + System.nanoTime() % 1_000_000;
		http.postJson("/api/users", Map.of("username", username, "password", "through nginx"));
		String cookie = http.formLogin(username, "through nginx");
		for (int i = 0; i < 4; i++) {
			HttpResponse<String> page = http.send(HttpRequest
				.newBuilder(URI.create(http.base() + "/"))
				.header("Cookie", cookie)
				.build());
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.body()).contains("data-user-id=\"" + username + "\"");
		}
	}

	@Test
	void usersOnDifferentInstancesChatInARoomAndInPrivateThroughTheProxy() {
		ParleyHttp http = nginx.http();
		String room = instances.a().newRoom("px");
		Guest ann = http.guest("Ann");
		Guest ben = http.guest("Ben");
		List<WsClient> opened = new ArrayList<>();
		try {
			WsClient annWs = http.connectWelcomed(ann);
			opened.add(annWs);
			WsClient benWs = http.connectWelcomed(ben);
			opened.add(benWs);
			assertThat(List.of(heldBy(instances.a(), ann, ben), heldBy(instances.b(), ann, ben))).as("least_conn spreads the two connections")
				.containsExactly(1, 1);

			annWs.request(Map.of("type", "join", "room", room));
			benWs.request(Map.of("type", "join", "room", room));
			annWs.request(Map.of("type", "message", "room", room, "text", "via nginx"));
			assertThat(benWs.next("message").path("text").asString()).isEqualTo("via nginx");
			benWs.request(Map.of("type", "private", "to", ann.id(), "text", "back"));
			assertThat(annWs.next("private").path("text").asString()).isEqualTo("back");
		}
		finally {
			opened.forEach(WsClient::close);
		}
	}

	/**
	 * The deployment as compose ships it: nginx with TLS, its certificate made by the repository's
	 * script. Plain HTTP redirects; over HTTPS the pages carry HSTS, the session cookie is Secure, and
	 * users chat over {@code wss://}.
	 */
	@Test
	void overTlsPlainHttpRedirectsCookiesAreSecureAndUsersChatOverWss(@TempDir Path dir) throws Exception {
		Process made = new ProcessBuilder("bash", "deploy/make-self-signed-cert.sh", dir.toString()).redirectErrorStream(true)
			.start();
		assertThat(made.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(made.exitValue()).as(new String(made.getInputStream().readAllBytes())).isZero();
		SSLContext previous = SSLContext.getDefault();
		SSLContext.setDefault(trusting(dir.resolve("parley.crt")));
		try (Nginx tls = Nginx.startTls(List.of(instances.a().port(), instances.b().port()), dir.resolve("parley.crt"),
				dir.resolve("parley.key"))) {
			HttpResponse<String> plain = new ParleyHttp("http://127.0.0.1:" + tls.httpPort()).page("/login?x=1", null);
			assertThat(plain.statusCode()).isEqualTo(301);
			assertThat(plain.headers().firstValue("Location")).hasValue("https://127.0.0.1:" + tls.port() + "/login?x=1");

			ParleyHttp https = new ParleyHttp("https://127.0.0.1:" + tls.port());
			HttpResponse<String> login = https.page("/login", null);
			assertThat(login.statusCode()).isEqualTo(200);
			assertThat(login.headers().allValues("Strict-Transport-Security")).singleElement().satisfies(
					hsts -> assertThat(hsts).startsWith("max-age=63072000"));
			assertThat(https.get("/css/parley.css").headers().allValues("Strict-Transport-Security")).hasSize(1);
			assertThat(login.headers().allValues("Set-Cookie")).isNotEmpty()
				.allSatisfy(cookie -> assertThat(cookie).contains("Secure"));
			assertThat(plain.headers().firstValue("Strict-Transport-Security")).as("only over TLS").isEmpty();

			Guest ann = https.guest("Ann");
			Guest ben = https.guest("Ben");
			assertThat(https.wsUrl()).startsWith("wss://");
			try (WsClient annWs = https.connectWelcomed(ann); WsClient benWs = https.connectWelcomed(ben)) {
				annWs.request(Map.of("type", "join", "room", "lobby"));
				benWs.request(Map.of("type", "join", "room", "lobby"));
				assertThat(annWs.request(Map.of("type", "message", "room", "lobby", "text", "over TLS")).path("type")
					.asString()).isEqualTo("ack");
				assertThat(benWs.next("message").path("text").asString()).isEqualTo("over TLS");
			}
		}
		finally {
			SSLContext.setDefault(previous);
		}
	}

	/** An SSL context that trusts this one certificate, as a browser would once told to. */
	private static SSLContext trusting(Path certificate) throws Exception {
		KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
		trusted.load(null, null);
		try (InputStream in = Files.newInputStream(certificate)) {
			trusted.setCertificateEntry("parley", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(trusted);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

	@Test
	void aPushThroughTheProxyReachesConnectionsOnBothInstances() {
		try (WsClient onA = instances.a().http().connectWelcomed(instances.a().http().guest("OnA"));
				WsClient onB = instances.b().http().connectWelcomed(instances.b().http().guest("OnB"))) {
			ParleyHttp http = nginx.http();
			HttpResponse<String> accepted = http.send(HttpRequest
				.newBuilder(URI.create(http.base() + "/api/push"))
				.header("Authorization", "Bearer " + PUSH_KEY)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"broadcast\":true,\"data\":{\"deploy\":7}}"))
				.build());
			assertThat(accepted.statusCode()).isEqualTo(202);
			assertThat(onA.next("push").path("data").path("deploy").asInt()).isEqualTo(7);
			assertThat(onB.next("push").path("data").path("deploy").asInt()).isEqualTo(7);
		}
	}

	@Test
	void aQuietWebSocketOutlivesNginxsDefaultSixtySecondTimeout() throws InterruptedException {
		ParleyHttp http = nginx.http();
		try (WsClient ws = http.connectWelcomed(http.guest("Patient"))) {
			Thread.sleep(65_000);
			assertThat(ws.isClosed()).isFalse();
			ws.send(Map.of("type", "ping"));
			assertThat(ws.next("pong")).isNotNull();
		}
	}

	/** How many of these users' connections the instance holds. */
	private static int heldBy(ParleyInstance instance, Guest... guests) {
		Hub hub = instance.bean(Hub.class);
		return Arrays.stream(guests).mapToInt(guest -> hub.clientsOf(guest.id()).size()).sum();
	}

}
