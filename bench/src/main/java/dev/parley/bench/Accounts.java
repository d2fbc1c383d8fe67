package dev.parley.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Guest accounts and their tokens, fetched over HTTP before any timed phase. */
final class Accounts {

	record Account(String id, String token) {
	}

	private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

	private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

	private Accounts() {
	}

	static List<Account> guests(String baseUrl, String prefix, int count) throws Exception {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		ExecutorService pool = Executors.newFixedThreadPool(16);
		try {
			List<Future<Account>> futures = new ArrayList<>(count);
			for (int i = 0; i < count; i++) {
				String name = prefix + i;
				futures.add(pool.submit(() -> guest(http, baseUrl, name)));
			}
			List<Account> accounts = new ArrayList<>(count);
			for (Future<Account> future : futures) {
				accounts.add(future.get());
			}
			return accounts;
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static Account guest(HttpClient http, String baseUrl, String name) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/auth/guest"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
			.build();
		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("guest " + name + ": HTTP " + response.statusCode());
		}
		Matcher token = TOKEN.matcher(response.body());
		Matcher id = ID.matcher(response.body());
		if (!token.find() || !id.find()) {
			throw new IllegalStateException("guest " + name + ": " + response.body());
		}
		return new Account(id.group(1), token.group(1));
	}

}
