package dev.parley.chat;

import java.util.List;

import dev.parley.messaging.MessageStore;
import dev.parley.room.RoomService;
import dev.parley.support.Browser;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.user.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.parley.support.ChatPage.joinAsGuest;
import static dev.parley.support.ChatPage.waitFor;
import static dev.parley.support.ChatPage.waitForMessage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timeline in a real browser: messages grouped by author under a line for the day, with an
 * avatar; "load older" only while there is more, keeping the reader's place; and a reader scrolled
 * up told of new messages by a button instead of being moved.
 */
@ParleyIntegrationTest
class TimelineBrowserIT {

	@LocalServerPort
	int port;

	@Autowired
	RoomService rooms;

	@Autowired
	MessageStore store;

	ChromeDriver browser;

	@BeforeEach
	void startBrowser() {
		browser = Browser.start(1000, 700);
	}

	@AfterEach
	void stopBrowser() {
		browser.quit();
	}

	@Test
	void olderMessagesLoadAboveTheReaderUntilThereAreNoMoreAndARunOfOneAuthorIsOneGroup() {
		readRoomOf(User.guest("seeder" + System.nanoTime() % 1_000_000, "Sam Seeder"), 70, "line ");

		assertThat(texts()).hasSize(50).startsWith("line 21").endsWith("line 70");
		assertThat(browser.findElements(By.cssSelector("#messages li.day"))).hasSize(1);
		assertThat(browser.findElement(By.cssSelector("#messages li.day")).getText()).isEqualTo("Today");
		List<WebElement> shown = browser.findElements(By.cssSelector("#messages li.message"));
		assertThat(shown.get(0).getDomAttribute("class")).doesNotContain("continued");
		assertThat(shown.get(0).findElement(By.className("avatar")).getText()).isEqualTo("SS");
		assertThat(shown.get(0).findElement(By.className("from")).getText()).isEqualTo("Sam Seeder");
		assertThat(shown.get(1).getDomAttribute("class")).contains("continued");
		assertThat(shown.get(1).findElements(By.className("from"))).isEmpty();

		assertThat(browser.findElement(By.id("load-older")).isDisplayed()).isTrue();
		browser.executeScript("document.getElementById('messages').scrollTop = 0");
		long before = top("line 21");
		// the reply can remove the button before WebDriver's own click has returned
		browser.executeScript("document.getElementById('load-older').click()");
		waitForMessage(browser, "line 1");

		assertThat(texts()).hasSize(70).startsWith("line 1");
		assertThat(Math.abs(top("line 21") - before)).as("line 21 stays where it was").isLessThan(5);
		assertThat(browser.findElements(By.id("load-older"))).as("nothing older is kept").isEmpty();
	}

	@Test
	void aReaderScrolledUpIsToldOfANewMessageAndJumpsToIt() {
		User writer = User.guest("writer" + System.nanoTime() % 1_000_000, "Wes");
		String slug = readRoomOf(writer, 40, "old ");
		assertThat(browser.findElements(By.id("load-older"))).as("all 40 are loaded").isEmpty();
		browser.executeScript("document.getElementById('messages').scrollTop = 0");

		store.storeRoomMessage(slug, writer, "something new").join();

		WebElement jump = waitFor(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("jump-new")));
		assertThat(scrollTop()).as("the reader was not moved").isZero();
		jump.click();
		waitFor(browser).until(driver -> Boolean.TRUE.equals(browser.executeScript(
				"const list = document.getElementById('messages');"
						+ "return list.scrollHeight - list.scrollTop - list.clientHeight < 40;")));
		assertThat(browser.findElement(By.id("jump-new")).isDisplayed()).isFalse();
	}

	/** A new room holding {@code count} messages from the author, open in the browser on its newest; returns its slug. */
	private String readRoomOf(User author, int count, String text) {
		String slug = "timeline-" + System.nanoTime() % 1_000_000;
		rooms.createIfAbsent(slug, "Timeline", "");
		rooms.join(author.id(), slug);
		for (int i = 1; i <= count; i++) {
			store.storeRoomMessage(slug, author, text + i).join();
		}
		joinAsGuest(browser, base(), "Reader");
		browser.get(base() + "/rooms/" + slug);
		waitForMessage(browser, text + count);
		return slug;
	}

	private List<String> texts() {
		return browser.findElements(By.cssSelector("#messages li.message .text")).stream().map(WebElement::getText).toList();
	}

	/** Where the message with this text is on the screen, as the reader sees it. */
	private long top(String text) {
		return ((Number) browser.executeScript("return [...document.querySelectorAll('#messages li.message .text')]"
				+ ".find((e) => e.textContent === arguments[0]).getBoundingClientRect().top", text)).longValue();
	}

	private long scrollTop() {
		return ((Number) browser.executeScript("return document.getElementById('messages').scrollTop")).longValue();
	}

	private String base() {
		return "http://localhost:" + port;
	}

}
