package dev.parley.files;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyInstance;
import dev.parley.support.S3Server;
import dev.parley.support.TestImages;
import dev.parley.support.TestRedis;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code parley.files.store=s3}, shared files live in a bucket of a real S3-compatible server
 * (S3Proxy, as a process): uploaded there with their previews, served from there, removed from
 * there with their message. The bucket is created at start.
 */
class S3FileStoreIT {

	private static final String BUCKET = "parley-it";

	static S3Server s3;

	static TestRedis redis;

	static ParleyInstance instance;

	@BeforeAll
	static void start() {
		s3 = new S3Server();
		redis = new TestRedis();
		instance = ParleyInstance.start(redis, s3.parleyProperties(BUCKET).toArray(String[]::new));
	}

	@AfterAll
	static void stop() {
		instance.close();
		redis.close();
		s3.close();
	}

	@Test
	void anImageGoesToTheBucketWithItsPreviewIsServedFromItAndLeavesWithItsMessage() throws Exception {
		ParleyHttp http = instance.http();
		Guest ann = http.guest("Ann");
		byte[] png = TestImages.png(640, 480);
		JsonNode file = ParleyHttp.json(http.upload(ann.token(), "map.png", "image/png", png)).path("file");
		String id = file.path("id").asString();

		assertThat(Files.exists(s3.bucketDir(BUCKET).resolve(id))).isTrue();
		assertThat(Files.exists(s3.bucketDir(BUCKET).resolve(id + ".thumbnail"))).isTrue();
		HttpResponse<byte[]> served = http.download("/files/" + id, ann.token());
		assertThat(served.statusCode()).isEqualTo(200);
		assertThat(served.body()).isEqualTo(png);
		assertThat(http.download("/files/" + id + "/thumbnail", ann.token()).statusCode()).isEqualTo(200);

		try (WsClient client = http.connectWelcomed(ann)) {
			client.request(Map.of("type", "join", "room", "lobby"));
			String message = client.request(Map.of("type", "message", "room", "lobby", "text", "the map", "files",
					List.of(id))).path("id").asString();
			client.request(Map.of("type", "delete", "room", "lobby", "id", message));
		}
		assertThat(Files.exists(s3.bucketDir(BUCKET).resolve(id))).isFalse();
		assertThat(Files.exists(s3.bucketDir(BUCKET).resolve(id + ".thumbnail"))).isFalse();
		assertThat(http.download("/files/" + id, ann.token()).statusCode()).isEqualTo(404);
	}

}
