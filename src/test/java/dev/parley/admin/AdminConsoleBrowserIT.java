package dev.parley.admin;

import java.time.Duration;
import java.util.List;

import dev.parley.chat.InstanceStats;
import dev.parley.support.Browser;
import dev.parley.support.ParleyIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An admin in one real browser manages rooms, watches the live numbers, announces to and bans a guest
 * chatting in another.
 */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.admin.password=browser admin secret" })
class AdminConsoleBrowserIT {

	private static final String HOSTILE = "<img src=x onerror=alert(1)> maintenance at noon";

	@LocalServerPort
	int port;

	@Autowired
	StatsHistory history;

	@Autowired
	InstanceStats stats;

	ChromeDriver admin;

	ChromeDriver guest;

	@BeforeEach
	void startBrowsers() {
		admin = Browser.start(1200, 900);
		guest = Browser.start(1000, 800);
	}

	@AfterEach
	void stopBrowsers() {
		admin.quit();
		guest.quit();
	}

	@Test
	void theAdminLogsInSeesTheGuestOnlineAnnouncesAndBansThem() {
		guest.get(url("/login"));
		guest.findElement(By.id("guest-name")).sendKeys("Wanderer");
		guest.findElement(By.id("guest-submit")).click();
		waitFor(guest).until(ExpectedConditions.textToBe(By.id("connection-status"), "online"));
		String guestId = guest.findElement(By.tagName("body")).getAttribute("data-user-id");

		logInAsAdmin();
		WebElement row = waitFor(admin)
			.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#online tr[data-user='" + guestId + "']")));
		assertThat(row.getText()).contains("Wanderer", "guest");
		String connections = waitFor(admin).until(driver -> {
			String shown = driver.findElement(By.id("live-connections")).getText();
			return shown.matches("[0-9,]+") ? shown : null;
		});
		assertThat(Integer.parseInt(connections.replace(",", ""))).isPositive();
		assertThat(admin.findElement(By.id("live-instances")).getText()).isEqualTo("1");

		admin.findElement(By.id("nav-announcements")).click();
		admin.findElement(By.id("announce-text")).sendKeys(HOSTILE);
		admin.findElement(By.id("announce-submit")).click();
		assertThat(waitFor(admin).until(ExpectedConditions.visibilityOfElementLocated(By.id("notice"))).getText())
			.isEqualTo("Announced to everyone, and shown to newcomers for 24 hours.");
		WebElement notice = waitFor(guest).until(ExpectedConditions
			.visibilityOfElementLocated(By.cssSelector("#announcements li .text")));
		assertThat(notice.getText()).isEqualTo(HOSTILE);
		assertThat(guest.findElement(By.cssSelector("#announcements li .label")).getDomProperty("textContent")).isEqualTo("From the admins");
		assertThat(guest.findElements(By.cssSelector("#announcements img"))).isEmpty();
		guest.navigate().refresh();
		waitFor(guest).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#announcements li .dismiss")))
			.click();
		assertThat(guest.findElements(By.cssSelector("#announcements li"))).isEmpty();
		guest.navigate().refresh();
		// the join's reply, with the members, comes after the welcome and the announcements that follow it
		waitFor(guest).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#member-list li")));
		assertThat(guest.findElements(By.cssSelector("#announcements li"))).as("dismissed in this browser").isEmpty();

		// the guest's reloads above took them offline for a moment: the live list follows, so wait for the row
		admin.findElement(By.id("nav-live")).click();
		waitFor(admin).until(ExpectedConditions.elementToBeClickable(
				By.cssSelector("#online tr[data-user='" + guestId + "'] a.moderate"))).click();
		assertThat(admin.findElement(By.id("mute-user")).getDomProperty("value")).isEqualTo(guestId);
		assertThat(admin.findElement(By.id("kick-user")).getDomProperty("value")).isEqualTo(guestId);
		admin.navigate().back();

		WebElement ban = admin.findElement(By.cssSelector("#online tr[data-user='" + guestId + "'] button.danger"));
		ban.click();
		Alert question = waitFor(admin).until(ExpectedConditions.alertIsPresent());
		assertThat(question.getText()).startsWith("Ban " + guestId + "?");
		question.dismiss();
		assertThat(admin.findElements(By.cssSelector("#banned li[data-user='" + guestId + "']"))).isEmpty();
		ban.click();
		waitFor(admin).until(ExpectedConditions.alertIsPresent()).accept();
		assertThat(waitFor(admin).until(ExpectedConditions.visibilityOfElementLocated(By.id("notice"))).getText())
			.contains("is banned");
		assertThat(admin.getCurrentUrl()).as("back on the page the ban was made from").endsWith("/admin");
		admin.findElement(By.id("nav-moderation")).click();
		assertThat(admin.findElements(By.cssSelector("#banned li[data-user='" + guestId + "']"))).hasSize(1);
		waitFor(guest).until(ExpectedConditions.textToBe(By.id("connection-status"), "banned"));
	}

	@Test
	void aGuestFollowsANewRoomsLinkChatsThereAndSeesItRenamedAndClosedToNewMessages() {
		logInAsAdmin();
		admin.findElement(By.id("nav-rooms")).click();
		admin.findElement(By.id("room-slug")).sendKeys("launch");
		admin.findElement(By.id("room-name")).sendKeys("Launch <i>day</i>");
		admin.findElement(By.id("room-submit")).click();
		assertThat(waitFor(admin).until(ExpectedConditions.visibilityOfElementLocated(By.id("notice"))).getText())
			.isEqualTo("Room launch is open.");
		String link = admin.findElement(By.cssSelector("#rooms tr[data-room='launch'] input.share")).getDomProperty("value");
		assertThat(link).isEqualTo(url("/rooms/launch"));

		guest.get(link);
		waitFor(guest).until(ExpectedConditions.urlContains("/login"));
		guest.findElement(By.id("guest-name")).sendKeys("Follower");
		guest.findElement(By.id("guest-submit")).click();
		waitFor(guest).until(ExpectedConditions.textToBe(By.id("conversation-title"), "# Launch <i>day</i>"));
		assertThat(guest.getCurrentUrl()).endsWith("/rooms/launch");
		WebElement input = guest.findElement(By.id("message-input"));
		input.sendKeys("first!");
		input.sendKeys(Keys.ENTER);
		waitFor(guest).until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "first!"));

		WebElement name = admin.findElement(By.cssSelector("#rooms tr[data-room='launch'] .room-edit input[name='name']"));
		name.clear();
		name.sendKeys("Launch week");
		assertThat(submitted(admin.findElement(By.cssSelector("#rooms tr[data-room='launch'] .room-edit button"))))
			.isEqualTo("Room launch was saved.");
		waitFor(guest).until(ExpectedConditions.textToBe(By.id("conversation-title"), "# Launch week"));

		assertThat(submitted(admin.findElement(By.cssSelector("#rooms tr[data-room='launch'] .room-toggle"))))
			.isEqualTo("Room launch is closed.");
		WebElement closed = waitFor(guest).until(ExpectedConditions
			.presenceOfElementLocated(By.cssSelector("#messages li.system .text")));
		assertThat(closed.getText()).isEqualTo("This room is closed: no new messages.");
		waitFor(guest).until(driver -> !input.isEnabled());
		assertThat(input.getDomProperty("placeholder")).isEqualTo("This room is closed: no new messages");
		assertThat(guest.findElement(By.id("send")).isEnabled()).isFalse();
	}

	@Test
	void theChartsDrawTheLastHourFromRedisWithAxesAndALineForEachInstanceOnRequest() {
		history.record();
		guest.get(url("/login"));
		guest.findElement(By.id("guest-name")).sendKeys("Charted");
		guest.findElement(By.id("guest-submit")).click();
		waitFor(guest).until(ExpectedConditions.textToBe(By.id("connection-status"), "online"));
		WebElement input = guest.findElement(By.id("message-input"));
		input.sendKeys("on the chart");
		input.sendKeys(Keys.ENTER);
		waitFor(guest).until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "on the chart"));
		history.record();

		logInAsAdmin();
		WebElement messages = waitFor(admin).until(driver -> {
			WebElement chart = driver.findElement(By.id("chart-messages"));
			String peak = chart.getDomAttribute("data-peak");
			return peak != null && !peak.isEmpty() && Double.parseDouble(peak) > 0 ? chart : null;
		});
		assertThat(messages.findElement(By.tagName("figcaption")).getText())
			.startsWith("Messages per second (peak in the hour: ").endsWith(" messages/s)");
		assertThat(messages.findElements(By.cssSelector(".uplot canvas"))).hasSize(1);
		assertThat(messages.findElement(By.cssSelector(".uplot canvas")).getSize().getWidth()).isGreaterThan(200);
		assertThat(legend(messages)).containsExactly("All instances");
		assertThat(admin.findElement(By.id("charts-empty")).isDisplayed()).isFalse();

		admin.findElement(By.id("per-instance")).click();
		assertThat(legend(admin.findElement(By.id("chart-messages")))).as("this test's only instance")
			.containsExactly(stats.local().instance());
	}

	/** The names of a chart's lines, from uPlot's legend (its first row is the time). */
	private static List<String> legend(WebElement chart) {
		return chart.findElements(By.cssSelector(".u-legend .u-series .u-label"))
			.stream()
			.map(WebElement::getText)
			.skip(1)
			.toList();
	}

	@Test
	void theOnlineListFollowsWhoComesAndGoesAndWorksOnAPhone() {
		logInAsAdmin();
		admin.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
		guest.get(url("/login"));
		guest.findElement(By.id("guest-name")).sendKeys("Arrival");
		guest.findElement(By.id("guest-submit")).click();
		waitFor(guest).until(ExpectedConditions.textToBe(By.id("connection-status"), "online"));
		String guestId = guest.findElement(By.tagName("body")).getDomAttribute("data-user-id");

		WebElement row = waitFor(admin).until(ExpectedConditions.presenceOfElementLocated(
				By.cssSelector("#online tr[data-user='" + guestId + "']")));
		assertThat(row.getText()).contains("Arrival", "guest");
		assertThat(row.findElement(By.tagName("a")).getDomAttribute("href")).isEqualTo("/admin/people/" + guestId);
		WebElement userCell = row.findElement(By.cssSelector("td[data-label='User']"));
		assertThat(userCell.getSize().getWidth()).as("a phone's table cell spans the row, not one letter")
			.isGreaterThan(200);
		assertThat(admin.executeScript("return document.documentElement.scrollWidth <= window.innerWidth"))
			.as("the menu wraps: nothing runs off a phone's screen").isEqualTo(true);
		admin.findElement(By.id("nav-rooms")).click();
		WebElement roomCell = admin.findElement(By.cssSelector("#rooms td[data-label='Room']"));
		assertThat(roomCell.getSize().getWidth()).isGreaterThan(200);
		assertThat(admin.executeScript("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
		for (String page : List.of("nav-people", "nav-moderation", "nav-announcements", "nav-push-keys",
				"nav-audit", "nav-accounts")) {
			admin.findElement(By.id(page)).click();
			assertThat(admin.executeScript("return document.documentElement.scrollWidth <= window.innerWidth"))
				.as(page + " fits a phone").isEqualTo(true);
		}
		admin.findElement(By.id("nav-live")).click();

		guest.quit();
		guest = Browser.start(1000, 800);
		waitFor(admin).until(ExpectedConditions.numberOfElementsToBe(
				By.cssSelector("#online tr[data-user='" + guestId + "']"), 0));
	}

	private void logInAsAdmin() {
		admin.get(url("/admin"));
		waitFor(admin).until(ExpectedConditions.urlContains("/admin/login"));
		admin.findElement(By.id("username")).sendKeys("admin");
		admin.findElement(By.id("password")).sendKeys("browser admin secret");
		admin.findElement(By.id("admin-login-submit")).click();
		waitFor(admin).until(ExpectedConditions.presenceOfElementLocated(By.id("online")));
	}

	/**
	 * Clicks a console form's button and returns the notice of the page it leads to: the page it
	 * leaves may show a notice of its own until the next one has loaded.
	 */
	private String submitted(WebElement button) {
		List<WebElement> before = admin.findElements(By.id("notice"));
		button.click();
		if (!before.isEmpty()) {
			waitFor(admin).until(driver -> {
				try {
					before.get(0).isEnabled();
					return false;
				}
				catch (WebDriverException gone) {
					return true;
				}
			});
		}
		return waitFor(admin).until(ExpectedConditions.visibilityOfElementLocated(By.id("notice"))).getText();
	}

	private static WebDriverWait waitFor(WebDriver driver) {
		return new WebDriverWait(driver, Duration.ofSeconds(15));
	}

	private String url(String path) {
		return "http://localhost:" + port + path;
	}

}
