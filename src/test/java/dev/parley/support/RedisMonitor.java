package dev.parley.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every command a real Redis runs, as {@code MONITOR} reports them, recorded while it is open. */
public final class RedisMonitor implements AutoCloseable {

	private final Socket socket;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	public RedisMonitor(int port) {
		try {
			socket = new Socket("127.0.0.1", port);
			socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			if (!"+OK".equals(reader.readLine())) {
				throw new IllegalStateException("MONITOR was refused");
			}
			Thread thread = new Thread(() -> read(reader), "redis-monitor");
			thread.setDaemon(true);
			thread.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void read(BufferedReader reader) {
		try {
			String line;
			while ((line = reader.readLine()) != null) {
				lines.add(line);
			}
		}
		catch (IOException closed) {
			// the monitor was closed
		}
	}

	/** The commands the clients sent (not those scripts ran) that name this key, as {@code "CMD"}. */
	public List<String> clientCommandsOn(String key) {
		String quoted = "\"" + key + "\"";
		return lines.stream()
			.filter(line -> !line.contains(" lua]") && line.contains(quoted))
			.map(line -> line.substring(line.indexOf("] ") + 2).split(" ")[0].replace("\"", "").toUpperCase())
			.toList();
	}

	@Override
	public void close() throws IOException {
		socket.close();
	}

}
