package dev.parley.chat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.parley.admin.ModerationService;
import dev.parley.room.RoomService;
import dev.parley.support.Browser;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.parley.support.ChatPage.joinAsGuest;
import static dev.parley.support.ChatPage.sendAndAwaitAck;
import static dev.parley.support.ChatPage.waitFor;
import static dev.parley.support.ChatPage.waitForMessage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's side of editing and deleting, formatting, mentions and the composer, in two real
 * browsers on the real page, WebSocket and Redis.
 */
@ParleyIntegrationTest
class MessageFeaturesBrowserIT {

	@LocalServerPort
	int port;

	@Autowired
	ModerationService moderation;

	@Autowired
	RoomService rooms;

	ChromeDriver alice;

	ChromeDriver bob;

	@BeforeEach
	void startBrowsers() {
		alice = Browser.start(1200, 800);
		bob = Browser.start(1200, 800);
	}

	@AfterEach
	void stopBrowsers() {
		alice.quit();
		bob.quit();
	}

	@Test
	void anEditAndADeleteShowLiveInTheOtherBrowser() {
		joinAsGuest(alice, base(), "Edith");
		joinAsGuest(bob, base(), "Bert");
		sendAndAwaitAck(alice, "helo everyone");
		waitForMessage(bob, "helo everyone");

		WebElement mine = waitForMessage(alice, "helo everyone").findElement(By.xpath(".."));
		new Actions(alice).moveToElement(mine).perform();
		mine.findElement(By.cssSelector(".message-actions .edit")).click();
		WebElement box = waitFor(alice).until(ExpectedConditions.elementToBeClickable(By.cssSelector("#messages .edit-input")));
		box.sendKeys(Keys.chord(Keys.CONTROL, "a"), "hello everyone", Keys.ENTER);

		WebElement edited = waitForMessage(bob, "hello everyone").findElement(By.xpath(".."));
		assertThat(edited.findElement(By.className("edited")).getText()).isEqualTo("(edited)");
		assertThat(bob.findElements(By.cssSelector("#messages .message-actions"))).as("not Bob's to change").isEmpty();

		WebElement again = waitForMessage(alice, "hello everyone").findElement(By.xpath(".."));
		new Actions(alice).moveToElement(again).perform();
		again.findElement(By.cssSelector(".message-actions .delete")).click();
		waitFor(alice).until(ExpectedConditions.elementToBeClickable(By.cssSelector("#messages .confirm-delete"))).click();

		waitFor(bob).until(driver -> texts(driver).stream().noneMatch("hello everyone"::equals));
		waitFor(alice).until(driver -> texts(driver).stream().noneMatch("hello everyone"::equals));
	}

	@Test
	void linksAndFormattingAreBuiltAsNodesAndHostileInputStaysText() {
		joinAsGuest(alice, base(), "Fran");
		joinAsGuest(bob, base(), "Gus");
		sendAndAwaitAck(alice, "**bold** _it_ `x<y` see https://example.com/a?b=1. and snake_case_name");
		WebElement text = waitForTextContaining(bob, "see https://example.com/a?b=1.");
		assertThat(text.findElement(By.tagName("strong")).getText()).isEqualTo("bold");
		assertThat(text.findElement(By.tagName("em")).getText()).isEqualTo("it");
		assertThat(text.findElement(By.tagName("code")).getText()).isEqualTo("x<y");
		WebElement link = text.findElement(By.tagName("a"));
		assertThat(link.getDomAttribute("href")).isEqualTo("https://example.com/a?b=1");
		assertThat(link.getDomAttribute("rel")).isEqualTo("noopener noreferrer");
		assertThat(link.getDomAttribute("target")).isEqualTo("_blank");
		assertThat(text.findElements(By.tagName("em"))).as("underscores inside a word are not italic").hasSize(1);

		String hostile = "javascript:alert(1) <b>no</b> [x](javascript:alert(2)) **_deep **nest**_** <a href=x>a</a>";
		sendAndAwaitAck(alice, hostile);
		WebElement shown = waitForTextContaining(bob, "javascript:alert(1)");
		assertThat(shown.getText()).contains("<b>no</b>", "[x](javascript:alert(2))", "<a href=x>a</a>");
		assertThat(shown.findElements(By.tagName("a"))).isEmpty();
		assertThat(shown.findElements(By.tagName("b"))).isEmpty();
		assertThat(shown.findElements(By.cssSelector("strong strong"))).as("no markers past the second level").isEmpty();

		sendAndAwaitAck(alice, "```\n<script>alert(3)</script>\n  indented\n```");
		WebElement block = waitFor(bob).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#messages pre.code-block code")));
		assertThat(block.getText()).isEqualTo("<script>alert(3)</script>\n  indented");
		assertThat(bob.findElements(By.cssSelector("#messages script"))).isEmpty();
	}

	@Test
	void aMentionIsOfferedHighlightedAndCountedApartFromUnreadMessages() {
		joinAsGuest(alice, base(), "Hana");
		joinAsGuest(bob, base(), "Ivo");
		String bobId = userId(bob);
		// Bob looks at a private conversation, away from the lobby
		waitFor(bob).until(ExpectedConditions.elementToBeClickable(
				By.xpath("//ul[@id='member-list']/li[span[@class='name' and starts-with(., 'Hana')]]"))).click();

		WebElement input = alice.findElement(By.id("message-input"));
		waitFor(alice).until(ExpectedConditions.presenceOfElementLocated(
				By.xpath("//ul[@id='member-list']/li[@data-user='" + bobId + "']")));
		input.sendKeys("look @" + bobId.substring(0, 2));
		waitFor(alice).until(ExpectedConditions.visibilityOfElementLocated(
				By.xpath("//ul[@id='mention-suggestions']/li[@data-user='" + bobId + "']")));
		input.sendKeys(Keys.TAB);
		assertThat(input.getDomProperty("value")).isEqualTo("look @" + bobId + " ");
		input.sendKeys("here", Keys.ENTER);
		sendAndAwaitAck(alice, "and one more");

		WebElement lobby = waitFor(bob).until(ExpectedConditions.presenceOfElementLocated(
				By.xpath("//ul[@id='room-list']/li[@data-room='lobby']")));
		waitFor(bob).until(driver -> lobby.findElement(By.className("badge")).getText().equals("2"));
		assertThat(lobby.findElement(By.className("mention-badge")).getText()).isEqualTo("@1");

		lobby.click();
		WebElement mention = waitFor(bob).until(ExpectedConditions.presenceOfElementLocated(
				By.cssSelector("#messages li.mentions-me .mention-me")));
		assertThat(mention.getText()).isEqualTo("@" + bobId);
		waitFor(bob).until(ExpectedConditions.invisibilityOfElementLocated(
				By.xpath("//ul[@id='room-list']/li[@data-room='lobby']/span[@class='mention-badge']")));
	}

	@Test
	void aRefusedMessageKeepsItsTextInTheBoxWithTheReason() {
		joinAsGuest(alice, base(), "Jo");
		moderation.mute(userId(alice), Duration.ofMinutes(5), "test");
		try {
			WebElement input = alice.findElement(By.id("message-input"));
			waitFor(alice).until(driver -> {
				input.sendKeys(Keys.chord(Keys.CONTROL, "a"), "still here", Keys.ENTER);
				return alice.findElement(By.id("composer-error")).isDisplayed();
			});
			assertThat(alice.findElement(By.id("composer-error")).getText()).contains("Not sent", "muted");
			assertThat(input.getDomProperty("value")).isEqualTo("still here");

			String tooLong = "x".repeat(4001);
			alice.executeScript(
					"const box = document.getElementById('message-input'); box.value = arguments[0];"
							+ "box.dispatchEvent(new Event('input'));", tooLong);
			assertThat(alice.findElement(By.id("char-count")).getText()).isEqualTo("4001 / 4000");
			input.sendKeys(Keys.ENTER);
			assertThat(alice.findElement(By.id("composer-error")).getText()).contains("Too long");
			assertThat(input.getDomProperty("value")).hasSize(4001);
		}
		finally {
			moderation.unmute(userId(alice));
		}
	}

	@Test
	void aPrivateMessageAndAMentionNotifyWhileTheTabIsHiddenUnlessTheRoomIsMuted() {
		recordNotifications(bob);
		joinAsGuest(alice, base(), "Kai");
		joinAsGuest(bob, base(), "Lea");
		String bobId = userId(bob);
		WebElement toggle = bob.findElement(By.id("notifications-toggle"));
		assertThat(toggle.getText()).isEqualTo("Turn on notifications");
		// as the user's "Allow" would
		bob.executeCdpCommand("Browser.grantPermissions", Map.of("permissions", List.of("notifications")));
		toggle.click();
		waitFor(bob).until(ExpectedConditions.textToBe(By.id("notifications-toggle"), "Notifications on"));

		bob.manage().window().minimize();
		waitFor(bob).until(driver -> Boolean.TRUE.equals(bob.executeScript("return document.hidden")));
		openPrivateChat(alice, "Lea");
		sendAndAwaitAck(alice, "are you there?");
		activateLobby(alice);
		sendAndAwaitAck(alice, "@" + bobId + " see this");
		waitFor(bob).until(driver -> shown(bob).size() == 2);
		assertThat(shown(bob)).containsExactly("Kai: are you there?", "Kai in # Lobby: @" + bobId + " see this");
		assertThat(bob.getTitle()).isEqualTo("(2) Parley");
		String icon = bob.findElement(By.cssSelector("link[rel='icon']")).getDomAttribute("href");
		assertThat(icon).startsWith("data:image/svg+xml,");
		assertThat(URLDecoder.decode(icon, StandardCharsets.UTF_8)).as("the count on the icon").contains(">2</text>");

		bob.manage().window().maximize();
		waitFor(bob).until(ExpectedConditions.elementToBeClickable(By.id("room-mute"))).click();
		waitFor(bob).until(ExpectedConditions.textToBe(By.id("room-mute"), "Unmute room notifications"));
		bob.navigate().refresh();
		waitFor(bob).until(ExpectedConditions.textToBe(By.id("room-mute"), "Unmute room notifications"));
		bob.manage().window().minimize();
		waitFor(bob).until(driver -> Boolean.TRUE.equals(bob.executeScript("return document.hidden")));
		sendAndAwaitAck(alice, "@" + bobId + " muted now");
		openPrivateChat(alice, "Lea");
		sendAndAwaitAck(alice, "but this one shows");
		waitFor(bob).until(driver -> !shown(bob).isEmpty());
		assertThat(shown(bob)).as("a muted room's mention, after the reload").containsExactly("Kai: but this one shows");
	}

	@Test
	void anAttachedImageUploadsWithProgressAndShowsAsAPreviewThatOpensFullSize() throws Exception {
		joinAsGuest(alice, base(), "Mia");
		joinAsGuest(bob, base(), "Ned");
		java.nio.file.Path picture = java.nio.file.Files.createTempFile("parley-picture", ".png");
		java.nio.file.Files.write(picture, TestImages.png(900, 600));
		java.nio.file.Path notes = java.nio.file.Files.createTempFile("parley-notes", ".txt");
		java.nio.file.Files.writeString(notes, "plain notes");

		alice.findElement(By.id("file-input")).sendKeys(picture + "\n" + notes);
		waitFor(alice).until(driver -> driver.findElements(By.cssSelector("#attachments li.attachment.done")).size() == 2);
		sendAndAwaitAck(alice, "our trip");
		assertThat(alice.findElement(By.id("attachments")).isDisplayed()).as("sent: the attachments go").isFalse();

		WebElement message = waitForMessage(bob, "our trip").findElement(By.xpath(".."));
		WebElement preview = message.findElement(By.cssSelector(".files a.image img"));
		waitFor(bob).until(driver -> ((Number) bob.executeScript("return arguments[0].naturalWidth", preview)).intValue() > 0);
		assertThat(((Number) bob.executeScript("return arguments[0].naturalWidth", preview)).intValue()).isEqualTo(320);
		WebElement link = message.findElement(By.cssSelector(".files a.image"));
		assertThat(link.getDomAttribute("target")).isEqualTo("_blank");
		assertThat(link.getDomAttribute("href")).startsWith("/files/").doesNotContain("thumbnail");
		WebElement chip = message.findElement(By.cssSelector(".files a.file-chip"));
		assertThat(chip.getText()).contains(notes.getFileName().toString());
		assertThat(chip.getDomAttribute("download")).isEqualTo(notes.getFileName().toString());
	}

	@Test
	void aPastedAndADroppedFileAreAttachedAsAPickedOneIs() {
		joinAsGuest(alice, base(), "Ola");
		joinAsGuest(bob, base(), "Pia");
		String png = Base64.getEncoder().encodeToString(TestImages.png(40, 30));
		// what Chromium hands the page for a pasted screenshot, and for a file dragged from the desktop
		alice.executeScript("""
				const bytes = Uint8Array.from(atob(arguments[0]), (c) => c.charCodeAt(0));
				const carrying = (name) => { const data = new DataTransfer(); data.items.add(new File([bytes], name, { type: 'image/png' })); return data; };
				document.getElementById('message-input').dispatchEvent(new ClipboardEvent('paste',
				  { clipboardData: carrying('pasted.png'), bubbles: true, cancelable: true }));
				document.querySelector('.conversation').dispatchEvent(new DragEvent('drop',
				  { dataTransfer: carrying('dropped.png'), bubbles: true, cancelable: true }));""", png);
		waitFor(alice).until(driver -> driver.findElements(By.cssSelector("#attachments li.attachment.done")).size() == 2);
		sendAndAwaitAck(alice, "two ways in");

		WebElement message = waitForMessage(bob, "two ways in").findElement(By.xpath(".."));
		assertThat(message.findElements(By.cssSelector(".files a.image img")).stream().map(image -> image.getDomAttribute("alt")))
			.containsExactly("pasted.png", "dropped.png");
	}

	@Test
	void aRoomModeratorDeletesSomeoneElsesMessageAndItGoesForEveryone() {
		joinAsGuest(alice, base(), "Quin");
		joinAsGuest(bob, base(), "Rex");
		rooms.addModerator("lobby", userId(bob));
		try {
			bob.navigate().refresh();
			sendAndAwaitAck(alice, "spam spam");
			WebElement theirs = waitForMessage(bob, "spam spam").findElement(By.xpath(".."));
			new Actions(bob).moveToElement(theirs).perform();
			assertThat(theirs.findElements(By.cssSelector(".message-actions .edit"))).as("a moderator deletes, never edits").isEmpty();
			theirs.findElement(By.cssSelector(".message-actions .delete")).click();
			waitFor(bob).until(ExpectedConditions.elementToBeClickable(By.cssSelector("#messages .confirm-delete"))).click();

			waitFor(alice).until(driver -> texts(driver).stream().noneMatch("spam spam"::equals));
			waitFor(bob).until(driver -> texts(driver).stream().noneMatch("spam spam"::equals));
		}
		finally {
			rooms.removeModerator("lobby", userId(bob));
		}
	}

	/** Records every notification the page shows, for the test to read: the real one still shows. */
	private static void recordNotifications(ChromeDriver driver) {
		driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
				(() => {
				  const Real = window.Notification;
				  window.shownNotifications = [];
				  function Recorded(title, options) {
				    window.shownNotifications.push(title + ': ' + options.body);
				    try { return new Real(title, options); } catch (e) { return {}; }
				  }
				  Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
				  Recorded.requestPermission = () => Real.requestPermission();
				  window.Notification = Recorded;
				})();"""));
	}

	@SuppressWarnings("unchecked")
	private static List<String> shown(ChromeDriver driver) {
		return (List<String>) driver.executeScript("return window.shownNotifications");
	}

	private static void openPrivateChat(WebDriver driver, String withName) {
		waitFor(driver).until(ExpectedConditions.elementToBeClickable(
				By.xpath("//ul[@id='member-list']/li[span[@class='name' and starts-with(., '" + withName + "')]]")))
			.click();
	}

	private static void activateLobby(WebDriver driver) {
		driver.findElement(By.xpath("//ul[@id='room-list']/li[@data-room='lobby']")).click();
		waitFor(driver).until(ExpectedConditions.textToBe(By.id("conversation-title"), "# Lobby"));
	}

	private String base() {
		return "http://localhost:" + port;
	}

	private static String userId(WebDriver driver) {
		return driver.findElement(By.tagName("body")).getDomAttribute("data-user-id");
	}

	private static List<String> texts(WebDriver driver) {
		return driver.findElements(By.cssSelector("#messages li.message .text")).stream().map(WebElement::getText).toList();
	}

	private static WebElement waitForTextContaining(WebDriver driver, String text) {
		return waitFor(driver).until(d -> d.findElements(By.cssSelector("#messages li.message .text"))
			.stream()
			.filter(element -> element.getText().contains(text))
			.findFirst()
			.orElse(null));
	}

}
