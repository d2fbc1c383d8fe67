package dev.parley.chat;

import java.util.List;

import dev.parley.support.Browser;
import dev.parley.support.ParleyIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.parley.support.ChatPage.joinAsGuest;
import static dev.parley.support.ChatPage.send;
import static dev.parley.support.ChatPage.waitFor;
import static dev.parley.support.ChatPage.waitForMessage;
import static org.assertj.core.api.Assertions.assertThat;

/** Two real browsers chat in the lobby through the real page, WebSocket and Redis. */
@ParleyIntegrationTest
class ChatPageBrowserIT {

	private static final String HOSTILE = "<img src=x onerror=alert(1)>";

	@LocalServerPort
	int port;

	ChromeDriver alice;

	ChromeDriver bob;

	@BeforeEach
	void startBrowsers() {
		alice = Browser.start(1200, 800);
		bob = Browser.start(390, 844);
	}

	@AfterEach
	void stopBrowsers() {
		for (ChromeDriver driver : List.of(alice, bob)) {
			try {
				java.nio.file.Files.write(java.nio.file.Path.of("target", "browser-" + (driver == alice ? "alice" : "bob") + ".png"),
						driver.getScreenshotAs(OutputType.BYTES));
			}
			catch (java.io.IOException | RuntimeException ignored) {
				// a missing screenshot must not hide the test's own result
			}
			driver.quit();
		}
	}

	@Test
	void twoGuestsExchangeMessagesAndMarkupShowsAsText() {
		joinAsGuest(alice, url(""), "Alice");
		joinAsGuest(bob, url(""), "Bob");
		assertThat(alice.findElement(By.id("message-input")).getDomProperty("placeholder"))
			.isEqualTo("Message # Lobby (@parley-bot help: what the bot can do)");

		send(alice, HOSTILE);
		WebElement received = waitForMessage(bob, HOSTILE);
		assertThat(received.getText()).isEqualTo(HOSTILE);
		assertThat(bob.findElements(By.cssSelector("#messages .text img"))).isEmpty();
		waitForMessage(alice, HOSTILE);
		assertThat(alice.findElements(By.cssSelector("#messages .text img"))).isEmpty();

		send(bob, "hello Alice");
		assertThat(waitForMessage(alice, "hello Alice").getText()).isEqualTo("hello Alice");
		assertThat(alice.findElement(By.id("typing")).getText()).as("Bob's message ends his typing").isEmpty();

		send(alice, "@parley-bot help");
		WebElement answer = waitFor(bob).until(ExpectedConditions
			.presenceOfElementLocated(By.xpath("//ol[@id='messages']/li[.//span[@class='bot-badge']]")));
		assertThat(answer.findElement(By.className("from")).getText()).isEqualTo("Parley Bot");
		assertThat(answer.findElement(By.className("text")).getText()).contains("I answer when mentioned");
	}

	@Test
	void aGuestIsRememberedAcrossVisits() {
		joinAsGuest(alice, url(""), "Alicia");
		String name = alice.findElement(By.cssSelector(".topbar .me")).getText();

		alice.manage().deleteCookieNamed("SESSION");
		alice.get(url("/"));

		waitFor(alice).until(ExpectedConditions.textToBe(By.id("connection-status"), "online"));
		assertThat(alice.findElement(By.cssSelector(".topbar .me")).getText()).isEqualTo(name);
	}

	@Test
	void privateConversationsAreListedAgainAfterAReload() {
		joinAsGuest(alice, url(""), "Alina");
		joinAsGuest(bob, url(""), "Boris");
		String bobName = nameOf(bob);
		assertThat(bobName).startsWith("Boris");
		openPrivateChat(alice, bobName);
		send(alice, "just between us");
		waitForMessage(alice, "just between us");
		assertThat(alice.findElement(By.id("members")).isDisplayed()).as("no online list in a private chat").isFalse();

		alice.navigate().refresh();
		waitFor(alice).until(ExpectedConditions.textToBe(By.id("connection-status"), "online"));
		waitFor(alice).until(ExpectedConditions.elementToBeClickable(
				By.xpath("//ul[@id='conversation-list']/li[span[@class='name' and .='@ " + bobName + "']]")))
			.click();
		assertThat(waitForMessage(alice, "just between us").getText()).isEqualTo("just between us");
	}

	@Test
	void unreadPrivateMessagesShowInTheTitleAndOnTheMenuButtonOfASmallScreen() {
		joinAsGuest(alice, url(""), "Anita");
		joinAsGuest(bob, url(""), "Basil");
		openPrivateChat(alice, nameOf(bob));
		send(alice, "one");
		send(alice, "two");

		waitFor(bob).until(ExpectedConditions.textToBe(By.id("unread-total"), "2"));
		assertThat(bob.getTitle()).isEqualTo("(2) Parley");
		bob.findElement(By.id("toggle-sidebar")).click();
		waitFor(bob).until(ExpectedConditions.elementToBeClickable(By.xpath("//ul[@id='conversation-list']/li")))
			.click();
		waitFor(bob).until(ExpectedConditions.titleIs("Parley"));
		assertThat(bob.findElement(By.id("unread-total")).getText()).isEmpty();
	}

	/** The signed-in user's name, read even where a small screen hides it. */
	private static String nameOf(WebDriver driver) {
		return driver.findElement(By.cssSelector(".topbar .me")).getDomProperty("textContent").strip();
	}

	private void openPrivateChat(WebDriver driver, String withName) {
		waitFor(driver).until(ExpectedConditions.elementToBeClickable(
				By.xpath("//ul[@id='member-list']/li[span[@class='name' and starts-with(., '" + withName + "')]]")))
			.click();
	}

	private String url(String path) {
		return "http://localhost:" + port + path;
	}

}
