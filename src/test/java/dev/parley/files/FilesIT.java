package dev.parley.files;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import dev.parley.config.RedisKeys;
import dev.parley.room.RoomService;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.TestImages;
import dev.parley.support.TwoInstances;
import dev.parley.support.WsClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Files over real HTTP and real sockets, on two instances sharing one Redis and one file directory
 * (as docker-compose deploys them): the upload's limits and checks, who may read a file once it is
 * posted, the files in messages, and what goes when the message does.
 */
class FilesIT {

	private static final Path DIR = Path.of("target", "test-files-" + System.nanoTime());

	@RegisterExtension
	static final TwoInstances instances = TwoInstances.withProperties("parley.files.max-size=100KB",
			"parley.files.quota=250KB", "parley.files.dir=" + DIR, "parley.history.max-per-room=10",
			"parley.files.sweep-interval=200ms", "parley.limits.rate-burst=300");

	@Test
	void anUploadedImageIsDescribedServedInlineWithAPreviewAndRunsNothing() {
		Guest ann = http().guest("Ann");
		byte[] png = TestImages.png(1200, 800);

		HttpResponse<String> uploaded = http().upload(ann.token(), "../../holiday.png", "image/png", png);

		assertThat(uploaded.statusCode()).isEqualTo(201);
		JsonNode file = ParleyHttp.json(uploaded).path("file");
		assertThat(file.path("name").asString()).isEqualTo("holiday.png");
		assertThat(file.path("type").asString()).isEqualTo("image/png");
		assertThat(file.path("size").asLong()).isEqualTo(png.length);
		assertThat(file.path("url").asString()).isEqualTo("/files/" + file.path("id").asString());
		assertThat(file.has("owner")).isFalse();

		HttpResponse<byte[]> served = instances.b().http().download(file.path("url").asString(), ann.token());
		assertThat(served.statusCode()).isEqualTo(200);
		assertThat(served.body()).isEqualTo(png);
		assertThat(served.headers().firstValue("Content-Type")).hasValue("image/png");
		assertThat(served.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(served.headers().firstValue("Content-Disposition")).hasValueSatisfying(
				value -> assertThat(value).startsWith("inline").contains("holiday.png"));
		assertThat(served.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
				value -> assertThat(value).contains("default-src 'none'", "sandbox"));

		HttpResponse<byte[]> preview = http().download(file.path("thumbnail").asString(), ann.token());
		assertThat(preview.statusCode()).isEqualTo(200);
		BufferedImage thumbnail = read(preview.body());
		assertThat(Math.max(thumbnail.getWidth(), thumbnail.getHeight())).isEqualTo(Thumbnails.SIZE);
		assertThat(thumbnail.getWidth()).isEqualTo(320);
		assertThat(thumbnail.getHeight()).isEqualTo(213);
	}

	@Test
	void aWebpImageGetsAPngPreviewToo() {
		Guest ann = http().guest("Ann");
		JsonNode file = ParleyHttp.json(http().upload(ann.token(), "sticker.webp", "image/webp", TestImages.webp()))
			.path("file");
		assertThat(file.path("type").asString()).isEqualTo("image/webp");

		HttpResponse<byte[]> preview = http().download(file.path("thumbnail").asString(), ann.token());
		assertThat(preview.statusCode()).isEqualTo(200);
		assertThat(preview.headers().firstValue("Content-Type")).hasValue("image/png");
		assertThat(read(preview.body()).getWidth()).isEqualTo(1);
	}

	@Test
	void theTypeComesFromTheContentNotTheNameSoMarkupNamedAsAnImageIsADownloadOfText() {
		Guest ann = http().guest("Ann");
		byte[] page = "<html><script>alert(document.cookie)</script></html>".getBytes(StandardCharsets.UTF_8);

		JsonNode file = ParleyHttp.json(http().upload(ann.token(), "cat.png", "image/png", page)).path("file");

		assertThat(file.path("type").asString()).isEqualTo("text/plain");
		assertThat(file.has("thumbnail")).isFalse();
		HttpResponse<byte[]> served = http().download(file.path("url").asString(), ann.token());
		assertThat(served.headers().firstValue("Content-Type")).hasValueSatisfying(
				value -> assertThat(value).startsWith("text/plain"));
		assertThat(served.headers().firstValue("Content-Disposition")).hasValueSatisfying(
				value -> assertThat(value).startsWith("attachment"));
		assertThat(served.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

		byte[] program = { 'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0 };
		HttpResponse<String> refused = http().upload(ann.token(), "setup.pdf", "application/pdf", program);
		assertThat(refused.statusCode()).isEqualTo(415);
		assertThat(ParleyHttp.json(refused).path("error").asString()).contains("image/png", "application/pdf");
	}

	@Test
	void uploadsPastTheSizeOrTheQuotaOrWithoutCredentialsAreRefusedAndStoreNothing() throws IOException {
		Guest ann = http().guest("Ann");
		long before = storedFiles();

		assertThat(http().upload(ann.token(), "big.txt", "text/plain", text(100 * 1024 + 1)).statusCode()).isEqualTo(413);
		assertThat(http().upload(ann.token(), "huge.txt", "text/plain", text(1024 * 1024)).statusCode()).isEqualTo(413);
		assertThat(http().upload(null, "a.txt", "text/plain", text(10)).statusCode()).isEqualTo(401);
		assertThat(http().upload(ann.token(), "empty.txt", "text/plain", new byte[0]).statusCode()).isEqualTo(400);
		assertThat(storedFiles()).isEqualTo(before);

		assertThat(http().upload(ann.token(), "1.txt", "text/plain", text(100 * 1024)).statusCode()).isEqualTo(201);
		assertThat(http().upload(ann.token(), "2.txt", "text/plain", text(100 * 1024)).statusCode()).isEqualTo(201);
		HttpResponse<String> overQuota = http().upload(ann.token(), "3.txt", "text/plain", text(100 * 1024));
		assertThat(overQuota.statusCode()).isEqualTo(413);
		assertThat(ParleyHttp.json(overQuota).path("error").asString()).contains("you keep 2 files");
		assertThat(storedFiles()).isEqualTo(before + 2);
	}

	@Test
	void aFilePostedInARoomIsReadByItsMembersOnlyAndTheMessageCarriesIt() {
		String room = instances.a().newRoom("files");
		Guest ann = http().guest("Ann");
		Guest ben = http().guest("Ben");
		Guest eve = http().guest("Eve");
		JsonNode file = ParleyHttp.json(http().upload(ann.token(), "plan.pdf", "application/pdf",
				"%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII))).path("file");
		String url = file.path("url").asString();
		assertThat(http().download(url, ben.token()).statusCode()).as("not posted yet").isEqualTo(404);

		try (WsClient annOnA = instances.a().http().connectWelcomed(ann);
				WsClient benOnB = instances.b().http().connectWelcomed(ben)) {
			annOnA.request(Map.of("type", "join", "room", room));
			benOnB.request(Map.of("type", "join", "room", room));
			JsonNode ack = annOnA.request(Map.of("type", "message", "room", room, "text", "",
					"files", List.of(file.path("id").asString())));
			assertThat(ack.path("type").asString()).isEqualTo("ack");

			JsonNode message = benOnB.next("message");
			assertThat(message.path("text").asString()).isEmpty();
			JsonNode carried = message.path("files").get(0);
			assertThat(carried.path("id").asString()).isEqualTo(file.path("id").asString());
			assertThat(carried.path("name").asString()).isEqualTo("plan.pdf");
			assertThat(carried.path("type").asString()).isEqualTo("application/pdf");
			assertThat(carried.path("url").asString()).isEqualTo(url);
			assertThat(benOnB.request(Map.of("type", "history", "room", room)).path("messages").get(0).path("files"))
				.hasSize(1);

			assertThat(instances.b().http().download(url, ben.token()).statusCode()).isEqualTo(200);
			assertThat(http().download(url, eve.token()).statusCode()).as("not a member").isEqualTo(404);
			assertThat(http().download(url, null).statusCode()).isEqualTo(401);
			assertThat(http().download("/files/AAAAAAAAAAAAAAAAAAAAAA", ann.token()).statusCode()).isEqualTo(404);
			assertThat(http().download("/files/" + file.path("id").asString() + "/thumbnail", ann.token()).statusCode())
				.as("a PDF has no preview").isEqualTo(404);
		}
	}

	@Test
	void aPrivateMessageCarriesFilesBothUsersMayReadAndNooneElse() {
		Guest ann = http().guest("Ann");
		Guest ben = http().guest("Ben");
		Guest eve = http().guest("Eve");
		String id = upload(ann, "note.txt", "just us");
		try (WsClient annOnA = instances.a().http().connectWelcomed(ann);
				WsClient benOnB = instances.b().http().connectWelcomed(ben)) {
			annOnA.request(Map.of("type", "private", "to", ben.id(), "text", "see", "files", List.of(id)));
			assertThat(benOnB.next("private").path("files").get(0).path("name").asString()).isEqualTo("note.txt");
			assertThat(http().download("/files/" + id, ben.token()).statusCode()).isEqualTo(200);
			assertThat(http().download("/files/" + id, eve.token()).statusCode()).isEqualTo(404);
		}
	}

	@Test
	void aMessageMayCarryOnlyFilesItsSenderUploadedAndNotYetSentAtMostTen() {
		String room = instances.a().newRoom("badfiles");
		Guest ann = http().guest("Ann");
		Guest ben = http().guest("Ben");
		String bens = upload(ben, "b.txt", "ben's");
		String mine = upload(ann, "a.txt", "ann's");
		try (WsClient client = instances.a().http().connectWelcomed(ann)) {
			client.request(Map.of("type", "join", "room", room));
			assertThat(code(client.request(Map.of("type", "message", "room", room, "text", "x", "files", List.of(bens)))))
				.isEqualTo("forbidden");
			assertThat(code(client.request(Map.of("type", "message", "room", room, "text", "x", "files",
					List.of("AAAAAAAAAAAAAAAAAAAAAA"))))).isEqualTo("not_found");
			List<String> eleven = new ArrayList<>();
			for (int i = 0; i < 11; i++) {
				eleven.add("file" + i);
			}
			assertThat(code(client.request(Map.of("type", "message", "room", room, "text", "x", "files", eleven))))
				.isEqualTo("bad_request");
			assertThat(code(client.request(Map.of("type", "message", "room", room, "files", List.of()))))
				.as("no text and no files").isEqualTo("bad_request");
			assertThat(code(client.request(Map.of("type", "message", "room", room, "text", "x", "files", "a.txt"))))
				.isEqualTo("bad_request");
			assertThat(client.request(Map.of("type", "history", "room", room)).path("messages")).isEmpty();

			assertThat(client.request(Map.of("type", "message", "room", room, "text", "x", "files", List.of(mine)))
				.path("type").asString()).isEqualTo("ack");
			assertThat(code(client.request(Map.of("type", "message", "room", room, "text", "again", "files", List.of(mine)))))
				.isEqualTo("bad_request");
		}
	}

	@Test
	void deletingAMessageRemovesItsFilesFromTheStoreAndRedis() throws IOException {
		String room = instances.a().newRoom("gone");
		Guest ann = http().guest("Ann");
		String id = upload(ann, "secret.txt", "oops");
		try (WsClient client = instances.a().http().connectWelcomed(ann)) {
			client.request(Map.of("type", "join", "room", room));
			String message = client.request(Map.of("type", "message", "room", room, "text", "here", "files", List.of(id)))
				.path("id").asString();
			assertThat(Files.exists(DIR.resolve(id))).isTrue();

			client.request(Map.of("type", "delete", "room", room, "id", message));

			assertThat(http().download("/files/" + id, ann.token()).statusCode()).isEqualTo(404);
			assertThat(Files.exists(DIR.resolve(id))).isFalse();
		}
	}

	/** Redis trims a stream ({@code MAXLEN ~}) a whole node of entries (100) at a time. */
	@Test
	void theFilesOfMessagesTheHistoryBoundTrimmedOffAreRemovedAndThoseStillKeptStay() {
		String room = instances.a().newRoom("trimmed");
		Guest ann = http().guest("Ann");
		String old = upload(ann, "old.txt", "first");
		String recent = upload(ann, "recent.txt", "last");
		try (WsClient client = instances.a().http().connectWelcomed(ann)) {
			client.request(Map.of("type", "join", "room", room));
			String first = client.request(Map.of("type", "message", "room", room, "text", "old", "files", List.of(old)))
				.path("id").asString();
			for (int i = 0; i < 250; i++) {
				assertThat(client.request(Map.of("type", "message", "room", room, "text", "filler " + i)).path("type")
					.asString()).isEqualTo("ack");
			}
			client.request(Map.of("type", "message", "room", room, "text", "new", "files", List.of(recent)));
			assertThat(instances.a().bean(StringRedisTemplate.class).opsForStream().range(RedisKeys.roomHistory(room),
					Range.closed(first, first))).as("trimmed").isEmpty();
		}

		Awaitility.await().untilAsserted(() -> {
			assertThat(http().download("/files/" + old, ann.token()).statusCode()).isEqualTo(404);
			assertThat(Files.exists(DIR.resolve(old))).isFalse();
		});
		assertThat(http().download("/files/" + recent, ann.token()).statusCode()).isEqualTo(200);
		assertThat(Files.exists(DIR.resolve(recent))).isTrue();
	}

	@Test
	void theFilesOfADeletedRoomAreRemovedWithItsHistoryAndNoRoomOfTheSameNameReadsThem() {
		String room = instances.a().newRoom("closing");
		Guest ann = http().guest("Ann");
		String id = upload(ann, "minutes.txt", "what was said");
		try (WsClient client = instances.a().http().connectWelcomed(ann)) {
			client.request(Map.of("type", "join", "room", room));
			client.request(Map.of("type", "message", "room", room, "text", "minutes", "files", List.of(id)));
		}
		RoomService rooms = instances.a().bean(RoomService.class);
		rooms.delete(room);
		rooms.createIfAbsent(room, "Same name", "");
		Guest ben = http().guest("Ben");
		rooms.join(ben.id(), room);

		Awaitility.await().untilAsserted(() -> {
			assertThat(http().download("/files/" + id, ben.token()).statusCode()).isEqualTo(404);
			assertThat(http().download("/files/" + id, ann.token()).statusCode()).isEqualTo(404);
			assertThat(Files.exists(DIR.resolve(id))).isFalse();
		});
	}

	@Test
	void theFilesOfAMessageRefusedAfterTheyWereRecordedMayBeSentAgain() {
		String room = instances.a().newRoom("refused");
		Guest ann = http().guest("Ann");
		String id = upload(ann, "notes.txt", "for later");
		try (WsClient client = instances.a().http().connectWelcomed(ann)) {
			client.request(Map.of("type", "join", "room", room));
			RoomService rooms = instances.a().bean(RoomService.class);
			rooms.setOpen(room, false);
			assertThat(code(client.request(Map.of("type", "message", "room", room, "text", "now", "files", List.of(id)))))
				.as("refused by the store script, after the files were recorded as posted").isEqualTo("forbidden");
			rooms.setOpen(room, true);

			Awaitility.await().untilAsserted(() -> assertThat(client
				.request(Map.of("type", "message", "room", room, "text", "again", "files", List.of(id)))
				.path("type")
				.asString()).isEqualTo("ack"));
			assertThat(client.request(Map.of("type", "history", "room", room)).path("messages").get(0).path("files")
				.get(0).path("id").asString()).isEqualTo(id);
		}
	}

	private static String code(JsonNode reply) {
		assertThat(reply.path("type").asString()).isEqualTo("error");
		return reply.path("code").asString();
	}

	private static String upload(Guest owner, String name, String text) {
		HttpResponse<String> uploaded = http().upload(owner.token(), name, "text/plain",
				text.getBytes(StandardCharsets.UTF_8));
		assertThat(uploaded.statusCode()).isEqualTo(201);
		return ParleyHttp.json(uploaded).path("file").path("id").asString();
	}

	private static ParleyHttp http() {
		return instances.a().http();
	}

	private static long storedFiles() throws IOException {
		try (var files = Files.list(DIR)) {
			return files.filter(file -> !file.getFileName().toString().startsWith(".")).count();
		}
	}

	private static byte[] text(int size) {
		byte[] text = new byte[size];
		java.util.Arrays.fill(text, (byte) 'x');
		return text;
	}

	private static BufferedImage read(byte[] image) {
		try {
			return ImageIO.read(new ByteArrayInputStream(image));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
