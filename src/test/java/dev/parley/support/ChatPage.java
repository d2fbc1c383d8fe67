package dev.parley.support;

import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** What the browser tests do on the chat page, the way a person would: join, send, wait for a message. */
public final class ChatPage {

	private ChatPage() {
	}

	/** From the login page of {@code base} ({@code http://host:port}) into the lobby, online. */
	public static void joinAsGuest(WebDriver driver, String base, String name) {
		driver.get(base + "/login");
		driver.findElement(By.id("guest-name")).sendKeys(name);
		driver.findElement(By.id("guest-submit")).click();
		waitFor(driver).until(ExpectedConditions.textToBe(By.id("connection-status"), "online"));
		waitFor(driver).until(ExpectedConditions.textToBe(By.id("conversation-title"), "# Lobby"));
	}

	/** Types the text (line breaks as Shift+Enter) and sends it. */
	public static void send(WebDriver driver, String text) {
		WebElement input = driver.findElement(By.id("message-input"));
		String[] lines = text.split("\n", -1);
		for (int i = 0; i < lines.length; i++) {
			if (i > 0) {
				input.sendKeys(Keys.chord(Keys.SHIFT, Keys.ENTER));
			}
			input.sendKeys(lines[i]);
		}
		input.sendKeys(Keys.ENTER);
	}

	/** Sends, and waits for the acknowledgement that takes the text out of the box. */
	public static void sendAndAwaitAck(WebDriver driver, String text) {
		send(driver, text);
		WebElement input = driver.findElement(By.id("message-input"));
		waitFor(driver).until(d -> input.getDomProperty("value").isEmpty());
	}

	/** The text element of the message shown with exactly this text. */
	public static WebElement waitForMessage(WebDriver driver, String text) {
		return waitFor(driver).until(d -> d.findElements(By.cssSelector("#messages li.message .text"))
			.stream()
			.filter(element -> text.equals(element.getText()))
			.findFirst()
			.orElse(null));
	}

	public static WebDriverWait waitFor(WebDriver driver) {
		return new WebDriverWait(driver, Duration.ofSeconds(15));
	}

}
