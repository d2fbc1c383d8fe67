package dev.parley.room;

import dev.parley.chat.PresenceEvents;
import dev.parley.presence.PresenceManager;
import dev.parley.support.Browser;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.user.User;
import dev.parley.user.UserService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.parley.support.ChatPage.joinAsGuest;
import static dev.parley.support.ChatPage.sendAndAwaitAck;
import static dev.parley.support.ChatPage.waitFor;
import static dev.parley.support.ChatPage.waitForMessage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rooms and people on the chat page, in real browsers: making a private room, inviting someone
 * found by name, joining from the invitation, leaving; and a private chat with someone found by
 * name rather than in a members list.
 */
@ParleyIntegrationTest
class RoomsAndPeopleBrowserIT {

	@LocalServerPort
	int port;

	@Autowired
	RoomService rooms;

	@Autowired
	UserService users;

	@Autowired
	PresenceManager presence;

	@Autowired
	PresenceEvents events;

	ChromeDriver alice;

	ChromeDriver bob;

	@BeforeEach
	void startBrowsers() {
		alice = Browser.start(1200, 800);
		bob = Browser.start(390, 844);
	}

	@AfterEach
	void stopBrowsers() {
		alice.quit();
		bob.quit();
	}

	@Test
	void aPrivateRoomIsMadeAndSomeoneFoundByNameIsInvitedJoinsChatsAndLeaves() {
		String tag = Long.toString(System.nanoTime() % 100_000);
		joinAsGuest(alice, base(), "Odile" + tag);
		joinAsGuest(bob, base(), "Pavel" + tag);
		String bobId = userId(bob);

		alice.findElement(By.cssSelector("#more-rooms summary")).click();
		alice.findElement(By.id("new-room-name")).sendKeys("Book club " + tag);
		alice.findElement(By.id("new-room-topic")).sendKeys("what we read");
		alice.findElement(By.id("new-room-private")).click();
		alice.findElement(By.id("new-room-create")).click();
		waitFor(alice).until(ExpectedConditions.textToBe(By.id("conversation-title"), "🔒 Book club " + tag));
		assertThat(alice.findElement(By.id("conversation-topic")).getText()).isEqualTo("what we read");
		String slug = "book-club-" + tag;
		assertThat(rooms.find(slug)).hasValueSatisfying(room -> assertThat(room.privateRoom()).isTrue());

		waitFor(alice).until(ExpectedConditions.elementToBeClickable(By.id("invite"))).click();
		alice.findElement(By.id("invite-search")).sendKeys("pavel" + tag);
		waitFor(alice).until(ExpectedConditions.elementToBeClickable(
				By.cssSelector("#invite-results li[data-user='" + bobId + "']"))).click();
		waitFor(alice).until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"), "Invitation sent"));

		bob.findElement(By.id("toggle-sidebar")).click();
		waitFor(bob).until(ExpectedConditions.elementToBeClickable(
				By.cssSelector("#invitations li[data-room='" + slug + "']"))).click();
		waitFor(bob).until(ExpectedConditions.textToBe(By.id("conversation-title"), "🔒 Book club " + tag));
		sendAndAwaitAck(bob, "thanks for having me");
		waitForMessage(alice, "thanks for having me");
		assertThat(bob.findElements(By.cssSelector("#invitations li"))).isEmpty();

		bob.findElement(By.id("leave-room")).click();
		waitFor(bob).until(ExpectedConditions.textToBe(By.id("conversation-title"), "# Lobby"));
		bob.findElement(By.id("toggle-sidebar")).click();
		assertThat(bob.findElements(By.cssSelector("#room-list li[data-room='" + slug + "']"))).isEmpty();
		assertThat(rooms.members(slug)).doesNotContain(bobId);
	}

	@Test
	void aPrivateChatStartsWithSomeoneFoundByNameAndTheRoomsBrowserShowsWhatEachRoomIs() {
		String tag = Long.toString(System.nanoTime() % 100_000);
		String slug = "garden-" + tag;
		rooms.createIfAbsent(slug, "Garden " + tag, "roses and weeds");
		joinAsGuest(alice, base(), "Quentin" + tag);
		joinAsGuest(bob, base(), "Rosa" + tag);
		alice.navigate().refresh();
		waitFor(alice).until(ExpectedConditions.textToBe(By.id("connection-status"), "online"));

		bob.findElement(By.id("toggle-sidebar")).click();
		bob.findElement(By.cssSelector("#find-people summary")).click();
		bob.findElement(By.id("people-search")).sendKeys("quentin" + tag);
		waitFor(bob).until(ExpectedConditions.elementToBeClickable(
				By.cssSelector("#people-results li[data-user='" + userId(alice) + "']"))).click();
		waitFor(bob).until(ExpectedConditions.textToBe(By.id("conversation-title"), "@ Quentin" + tag));
		sendAndAwaitAck(bob, "found you");
		waitFor(alice).until(ExpectedConditions.elementToBeClickable(
				By.xpath("//ul[@id='conversation-list']/li[span[@class='name' and .='@ Rosa" + tag + "']]"))).click();
		waitForMessage(alice, "found you");
		bob.findElement(By.id("message-input")).sendKeys("still there");
		waitFor(alice).until(ExpectedConditions.textToBe(By.id("typing"), "Rosa" + tag + " is typing…"));
		bob.findElement(By.id("message-input")).sendKeys(org.openqa.selenium.Keys.ENTER);
		waitForMessage(alice, "still there");
		waitFor(alice).until(ExpectedConditions.textToBe(By.id("typing"), ""));

		alice.findElement(By.cssSelector("#more-rooms summary")).click();
		WebElement garden = waitFor(alice).until(ExpectedConditions.visibilityOfElementLocated(
				By.cssSelector("#open-rooms li[data-room='" + slug + "']")));
		assertThat(garden.findElement(By.className("topic")).getText()).isEqualTo("roses and weeds");
		assertThat(garden.findElement(By.className("count")).getText()).isEqualTo("0 members");
		assertThat(alice.findElements(By.cssSelector("#open-rooms li[data-room='lobby']"))).as("joined already").isEmpty();
		garden.click();
		waitFor(alice).until(ExpectedConditions.textToBe(By.id("conversation-title"), "# Garden " + tag));
		assertThat(alice.findElement(By.id("conversation-topic")).getText()).isEqualTo("roses and weeds");

		bob.findElement(By.id("toggle-sidebar")).click();
		bob.findElement(By.xpath("//ul[@id='room-list']/li[@data-room='lobby']")).click();
		waitFor(bob).until(ExpectedConditions.elementToBeClickable(By.id("toggle-members"))).click();
		waitFor(bob).until(ExpectedConditions.visibilityOfElementLocated(
				By.cssSelector("#member-list li[data-user='" + userId(alice) + "']")));
	}

	@Test
	void aLargeRoomShowsHowManyAreOnlineAndTheRestOfTheMembersOnRequest() {
		String slug = "large-" + System.nanoTime() % 1_000_000;
		rooms.createIfAbsent(slug, "Large", "");
		for (int i = 0; i < 104; i++) {
			User member = users.createGuest("many" + i);
			presence.connect(member.id(), "c-" + member.id());
			rooms.join(member.id(), slug);
			events.announce(member, java.util.List.of(slug), "join");
		}
		joinAsGuest(alice, base(), "Looker");
		alice.get(base() + "/rooms/" + slug);
		waitFor(alice).until(ExpectedConditions.textToBe(By.id("online-count"), "105"));
		assertThat(alice.findElements(By.cssSelector("#member-list li"))).hasSize(100);

		waitFor(alice).until(ExpectedConditions.elementToBeClickable(By.id("more-members"))).click();
		waitFor(alice).until(driver -> driver.findElements(By.cssSelector("#member-list li")).size() == 105);
		assertThat(alice.findElement(By.id("more-members")).isDisplayed()).isFalse();
	}

	private String base() {
		return "http://localhost:" + port;
	}

	private static String userId(WebDriver driver) {
		return driver.findElement(By.tagName("body")).getDomAttribute("data-user-id");
	}

}
