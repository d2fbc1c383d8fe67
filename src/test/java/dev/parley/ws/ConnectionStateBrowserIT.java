package dev.parley.ws;

import java.time.Duration;
import java.util.List;

import dev.parley.admin.ModerationService;
import dev.parley.messaging.PubSubGateway;
import dev.parley.push.PushService;
import dev.parley.support.Browser;
import dev.parley.support.ParleyIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.parley.support.ChatPage.joinAsGuest;
import static dev.parley.support.ChatPage.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the chat page tells its user about the connection, in a real browser: the offline banner
 * with its countdown and "retry now", a ban's reason (live, and after a reload, when the handshake
 * itself is refused), pushes, and the warning before a guest logs out for good.
 */
@ParleyIntegrationTest
class ConnectionStateBrowserIT {

	@LocalServerPort
	int port;

	@Autowired
	HandshakeAuthenticator handshakes;

	@Autowired
	PubSubGateway gateway;

	@Autowired
	ModerationService moderation;

	@Autowired
	PushService pushes;

	@Autowired
	JsonMapper json;

	ChromeDriver browser;

	@BeforeEach
	void startBrowser() {
		browser = Browser.start(1000, 800);
	}

	@AfterEach
	void stopBrowser() {
		handshakes.startAccepting();
		browser.quit();
	}

	@Test
	void whileOfflineABannerCountsDownToTheNextTryAndRetryNowConnectsAtOnce() {
		joinAsGuest(browser, base(), "Tess");
		handshakes.stopAccepting();
		gateway.closeUser(userId(), 1012, "restarting");

		new WebDriverWait(browser, Duration.ofSeconds(60)).until(driver -> driver.findElement(By.id("offline-banner"))
			.isDisplayed() && driver.findElement(By.id("offline-text")).getText().matches("Offline: trying again in ([4-9]|\\d\\d) s\\."));
		handshakes.startAccepting();
		browser.findElement(By.id("retry-now")).click();

		new WebDriverWait(browser, Duration.ofSeconds(3))
			.until(ExpectedConditions.textToBe(By.id("connection-status"), "online"));
		assertThat(browser.findElement(By.id("offline-banner")).isDisplayed()).isFalse();
	}

	@Test
	void aBannedUserSeesTheReasonAndThePageStopsTryingEvenAfterAReload() {
		joinAsGuest(browser, base(), "Ursula");
		moderation.ban(userId(), "spamming links");
		try {
			waitFor(browser).until(ExpectedConditions.textToBe(By.id("banned-banner"),
					"You are banned from this chat: spamming links"));
			assertThat(browser.findElement(By.id("connection-status")).getText()).isEqualTo("banned");

			browser.navigate().refresh();
			waitFor(browser).until(ExpectedConditions.textToBe(By.id("banned-banner"),
					"You are banned from this chat: spamming links"));
			assertThat(browser.findElement(By.id("offline-banner")).isDisplayed()).isFalse();
			assertThat(browser.findElement(By.id("message-input")).isEnabled()).isFalse();
		}
		finally {
			moderation.unban(userId());
		}
	}

	@Test
	void aPushWithATitleShowsAsANoticeAndEveryPushReachesThePagesEvent() {
		joinAsGuest(browser, base(), "Vera");
		browser.executeScript("window.pushed = []; window.addEventListener('parley:push', (e) => window.pushed.push(e.detail.data));");

		pushes.toUser(userId(), json.readTree("{\"title\":\"Build finished\",\"body\":\"<b>main</b> is green\"}"));
		pushes.toUser(userId(), json.readTree("{\"score\":3}"));

		var notice = waitFor(browser).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#pushes li")));
		assertThat(notice.findElement(By.className("title")).getText()).isEqualTo("Build finished");
		assertThat(notice.findElement(By.className("body")).getText()).isEqualTo("<b>main</b> is green");
		waitFor(browser).until(driver -> ((List<?>) browser.executeScript("return window.pushed")).size() == 2);
		assertThat(browser.executeScript("return JSON.stringify(window.pushed)"))
			.isEqualTo("[{\"title\":\"Build finished\",\"body\":\"<b>main</b> is green\"},{\"score\":3}]");
		assertThat(browser.findElements(By.cssSelector("#pushes li"))).hasSize(1);
	}

	@Test
	void aGuestIsWarnedBeforeLoggingOutAndMayStay() {
		joinAsGuest(browser, base(), "Wendy");
		browser.findElement(By.id("logout")).click();
		waitFor(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("guest-logout-warning")));
		browser.findElement(By.id("stay-logged-in")).click();
		assertThat(browser.findElement(By.id("guest-logout-warning")).isDisplayed()).isFalse();
		assertThat(browser.getCurrentUrl()).doesNotContain("/login");

		browser.findElement(By.id("logout")).click();
		waitFor(browser).until(ExpectedConditions.elementToBeClickable(By.id("logout-anyway"))).click();
		waitFor(browser).until(ExpectedConditions.urlContains("/login"));
	}

	private String userId() {
		return browser.findElement(By.tagName("body")).getDomAttribute("data-user-id");
	}

	private String base() {
		return "http://localhost:" + port;
	}

}
