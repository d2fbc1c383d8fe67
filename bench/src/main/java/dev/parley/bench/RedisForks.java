package dev.parley.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many times the server's Redis has forked ({@code INFO stats} {@code total_forks}): each AOF
 * rewrite is one fork, and its child competes with the server for the same core, so a step's
 * figure says whether a rewrite ran inside it. Plain RESP over a socket: redis-cli may not be
 * installed.
 */
final class RedisForks {

	private static final Pattern TOTAL_FORKS = Pattern.compile("total_forks:(\\d+)");

	private static final Pattern COMMANDS = Pattern.compile("total_commands_processed:(\\d+)");

	private final int port;

	/** Port 0: no Redis to ask, {@link #count()} answers -1. */
	RedisForks(int port) {
		this.port = port;
	}

	long count() {
		return stat(TOTAL_FORKS);
	}

	/** Commands the server has run since it started ({@code total_commands_processed}); -1 without a Redis to ask. */
	long commands() {
		return stat(COMMANDS);
	}

	private long stat(Pattern stat) {
		if (port <= 0) {
			return -1;
		}
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
			socket.setSoTimeout(2000);
			OutputStream out = socket.getOutputStream();
			out.write("INFO stats\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return parse(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII), stat);
		}
		catch (IOException ex) {
			return -1;
		}
	}

	static long parse(String info) {
		return parse(info, TOTAL_FORKS);
	}

	private static long parse(String info, Pattern stat) {
		Matcher found = stat.matcher(info);
		return found.find() ? Long.parseLong(found.group(1)) : -1;
	}

}
