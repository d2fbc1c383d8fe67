package dev.parley.reliability;

import java.time.Duration;

import dev.parley.support.Browser;
import dev.parley.support.ParleyInstance;
import dev.parley.support.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/** The chat page, in a real browser, while its server's Redis is stopped and started again. */
class RedisAwayBrowserIT {

	private TestRedis redis;

	private ParleyInstance app;

	private ChromeDriver browser;

	@BeforeEach
	void start() {
		redis = TestRedis.durable();
		app = ParleyInstance.start(redis.port());
		browser = Browser.start(1200, 800);
	}

	@AfterEach
	void stop() {
		browser.quit();
		app.close();
		redis.close();
	}

	@Test
	void thePageSaysMessagesCannotBeSentWhileRedisIsAwayAndSendsAgainOnceItIsBack() {
		browser.get("http://localhost:" + app.port() + "/login");
		browser.findElement(By.id("guest-name")).sendKeys("Patient");
		browser.findElement(By.id("guest-submit")).click();
		waitFor(browser).until(ExpectedConditions.textToBe(By.id("connection-status"), "online"));

		redis.stop();
		send(browser, "while away");
		waitFor(browser).until(ExpectedConditions.textToBe(By.id("connection-status"),
				"online, but messages cannot be sent right now"));
		// refused, the text stays in the box, with the reason next to it
		assertThat(browser.findElement(By.id("composer-error")).getText()).contains("Not sent", "unavailable");
		WebElement input = browser.findElement(By.id("message-input"));
		assertThat(input.getDomProperty("value")).isEqualTo("while away");

		redis.start();
		// if the connection was lost meanwhile, the page's next try may be seconds away: the user's "retry now"
		waitFor(browser).until(driver -> {
			WebElement retry = driver.findElement(By.id("retry-now"));
			if (retry.isDisplayed()) {
				retry.click();
			}
			driver.findElement(By.id("message-input")).sendKeys(Keys.ENTER);
			return driver.findElement(By.id("connection-status")).getText().equals("online");
		});
		WebElement sent = waitFor(browser).until(driver -> driver.findElements(By.cssSelector("#messages li.message .text"))
			.stream()
			.filter(element -> "while away".equals(element.getText()))
			.findFirst()
			.orElse(null));
		assertThat(sent).isNotNull();
		waitFor(browser).until(driver -> driver.findElement(By.id("message-input")).getDomProperty("value").isEmpty());
	}

	private static void send(WebDriver driver, String text) {
		WebElement input = driver.findElement(By.id("message-input"));
		input.sendKeys(text);
		input.sendKeys(Keys.ENTER);
	}

	private static WebDriverWait waitFor(WebDriver driver) {
		return new WebDriverWait(driver, Duration.ofSeconds(15), Duration.ofMillis(500));
	}

}
