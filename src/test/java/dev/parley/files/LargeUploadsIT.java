package dev.parley.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Uploads as large as the settings allow, several arriving at once over slow links: each waits in
 * a temporary file while it arrives, so that together they may hold more than the heap gives to
 * request bodies (64 MB), and its file goes once its exchange has ended.
 */
@ParleyIntegrationTest(properties = { "parley.embedded-redis.dir=target/test-redis/${random.uuid}",
		"parley.files.max-size=15MB", "parley.files.dir=target/test-files-large-${random.uuid}" })
class LargeUploadsIT {

	private static final int SIZE = 15 * 1024 * 1024;

	private static final int UPLOADS = 5;

	private static final Path TEMPORARY = Path.of(System.getProperty("java.io.tmpdir"));

	@LocalServerPort
	int port;

	@Autowired
	ParleyHttp http;

	@Test
	void fiveUploadsOfFifteenMegabytesArrivingAtOnceAreAllTakenAndLeaveNoTemporaryFile() throws IOException {
		byte[] content = text(SIZE);
		List<Socket> sockets = new ArrayList<>();
		try {
			for (int i = 0; i < UPLOADS; i++) {
				Socket socket = new Socket("127.0.0.1", port);
				socket.setSoTimeout(60_000);
				sockets.add(socket);
				Upload upload = new Upload(http.guest("Big" + i), content);
				socket.getOutputStream().write(upload.bytes(), 0, upload.bytes().length - 1000);
			}
			await().untilAsserted(() -> assertThat(spooled()).as("the uploads' parts waiting on disk")
				.hasSize(UPLOADS)
				.allSatisfy(file -> assertThat(Files.size(file)).isGreaterThan(SIZE - 1000)));

			for (int i = 0; i < UPLOADS; i++) {
				OutputStream out = sockets.get(i).getOutputStream();
				out.write(Upload.tail());
				out.flush();
			}
			for (Socket socket : sockets) {
				assertThat(ParleyHttp.statusLine(socket.getInputStream())).startsWith("HTTP/1.1 201");
			}
		}
		finally {
			for (Socket socket : sockets) {
				socket.close();
			}
		}
		await().untilAsserted(() -> assertThat(spooled()).isEmpty());
	}

	@Test
	void uploadsPastTheLimitAreRefusedAndLeaveNoTemporaryFile() {
		Guest owner = http.guest("Huge");
		assertThat(http.upload(owner.token(), "huge.txt", "text/plain", text(SIZE + 1000)).statusCode())
			.as("refused by the file service").isEqualTo(413);
		assertThat(http.upload(owner.token(), "huger.txt", "text/plain", text(SIZE + 1_000_000)).statusCode())
			.as("refused as it arrives").isEqualTo(413);
		await().untilAsserted(() -> assertThat(spooled()).isEmpty());
	}

	private static byte[] text(int size) {
		byte[] text = new byte[size];
		Arrays.fill(text, (byte) 'x');
		return text;
	}

	/** One multipart upload as it goes on the wire, with its headers, ending in its last bytes ({@link #tail}). */
	private record Upload(Guest owner, byte[] content) {

		private static final String BOUNDARY = "large-upload-boundary";

		private static final byte[] END = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);

		byte[] bytes() {
			byte[] part = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
					+ "Content-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
			byte[] head = ("POST /api/files HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + owner.token()
					+ "\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: "
					+ (part.length + content.length + END.length) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
			byte[] all = new byte[head.length + part.length + content.length + END.length];
			System.arraycopy(head, 0, all, 0, head.length);
			System.arraycopy(part, 0, all, head.length, part.length);
			System.arraycopy(content, 0, all, head.length + part.length, content.length);
			System.arraycopy(END, 0, all, all.length - END.length, END.length);
			return all;
		}

		/** The last 1,000 bytes, which {@link #bytes} less them leaves to send. */
		static byte[] tail() {
			byte[] tail = new byte[1000];
			Arrays.fill(tail, 0, tail.length - END.length, (byte) 'x');
			System.arraycopy(END, 0, tail, tail.length - END.length, END.length);
			return tail;
		}

	}

	private static List<Path> spooled() {
		try (Stream<Path> files = Files.list(TEMPORARY)) {
			return files.filter(file -> file.getFileName().toString().startsWith("parley-upload-")).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
