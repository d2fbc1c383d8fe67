package dev.parley.ws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.parley.support.Browser;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /js/parley-client.js as another web app embeds it, in a real browser: a guest's token, frames
 * answered by promises, events, and a dropped connection that comes back and delivers what was
 * missed meanwhile (more than one history page), in order, each message once.
 */
@ParleyIntegrationTest
class ParleyClientBrowserIT {

	/**
	 * Loads the module with a WebSocket that the test can cut off (every new socket is closed before
	 * it opens while parleyBlocked is set), then connects as a guest, joins the lobby, sends and
	 * sends wrongly.
	 */
	private static final String START = """
			const done = arguments[arguments.length - 1];
			(async () => {
			  const Native = window.WebSocket;
			  const sockets = [];
			  window.WebSocket = class extends Native {
			    constructor(url, ...rest) { super(url, ...rest); sockets.push(this); if (window.parleyBlocked) this.close(); }
			  };
			  const { ParleyClient } = await import('/js/parley-client.js');
			  const guest = await (await fetch('/api/auth/guest', { method: 'POST',
			    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Embedded' }) })).json();
			  const client = new ParleyClient({ token: guest.token });
			  const seen = { messages: [], states: [] };
			  window.parleyTest = { client, sockets, seen };
			  client.on('message', (message) => seen.messages.push(message.text));
			  client.on('state', (state) => seen.states.push(state.state));
			  const welcome = await client.connect();
			  const joined = await client.join('lobby');
			  const ack = await client.send({ type: 'message', room: 'lobby', text: 'from the library' });
			  let refused = null;
			  try { await client.send({ type: 'message', room: 'no-such-room', text: 'lost' }); } catch (e) { refused = e.code; }
			  done({ user: welcome.user.id, joined: joined.type, ack: ack.type, refused });
			})().catch((e) => done({ error: String(e) }));
			""";

	@LocalServerPort
	int port;

	@Autowired
	ParleyHttp http;

	ChromeDriver browser;

	@BeforeEach
	void startBrowser() {
		browser = Browser.start(1000, 800);
		browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(15));
	}

	@AfterEach
	void stopBrowser() {
		browser.quit();
	}

	@Test
	void anEmbeddingPageChatsWithPromisesAndEventsAndResumesAfterADropWithoutLossOrRepeats() {
		browser.get("http://localhost:" + port + "/login");
		@SuppressWarnings("unchecked")
		Map<String, Object> started = (Map<String, Object>) browser.executeAsyncScript(START);
		assertThat(started).doesNotContainKey("error").containsEntry("joined", "joined").containsEntry("ack", "ack");
		assertThat(started.get("refused")).as("an error frame rejects the send").isEqualTo("not_found");

		Guest sender = http.guest("Other");
		List<WsClient> others = IntStream.range(0, 3).mapToObj(i -> http.connectWelcomed(sender)).toList();
		try {
			WsClient other = others.get(0);
			other.request(Map.of("type", "join", "room", "lobby"));
			other.request(Map.of("type", "message", "room", "lobby", "text", "live one"));
			List<String> expected = new ArrayList<>(List.of("from the library", "live one"));
			awaitMessages(expected);

			browser.executeScript("window.parleyBlocked = true; window.parleyTest.sockets.at(-1).close();");
			awaitState("offline");
			// more than a history page (100), from several connections so that no rate limit applies
			for (int i = 0; i < 105; i++) {
				others.get(i % others.size()).request(Map.of("type", "message", "room", "lobby", "text", "missed " + i));
				expected.add("missed " + i);
			}
			browser.executeScript("window.parleyBlocked = false;");

			// the backoff has grown while the messages were sent: a planned try is made at once, as "retry now" does
			new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> expected.equals(((ChromeDriver) driver)
				.executeScript("window.parleyTest.client.transport.retryNow(); return window.parleyTest.seen.messages")));
			String after = other.request(Map.of("type", "message", "room", "lobby", "text", "after")).path("id")
				.asString();
			expected.add("after");
			awaitMessages(expected);
			assertThat(browser.executeScript("return window.parleyTest.seen.states")).asList()
				.containsSubsequence("offline", "online");
			assertThat(browser.executeScript("return window.parleyTest.client.lastSeen.get('lobby')"))
				.as("resumes next time after the newest message").isEqualTo(after);
		}
		finally {
			others.forEach(WsClient::close);
		}
	}

	private void awaitMessages(List<String> expected) {
		new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> expected
			.equals(((ChromeDriver) driver).executeScript("return window.parleyTest.seen.messages")));
	}

	private void awaitState(String state) {
		new WebDriverWait(browser, Duration.ofSeconds(10)).until(driver -> ((List<?>) ((ChromeDriver) driver)
			.executeScript("return window.parleyTest.seen.states")).contains(state));
	}

}
