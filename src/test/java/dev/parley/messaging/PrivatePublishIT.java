package dev.parley.messaging;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import dev.parley.config.RedisKeys;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a private message publishes, watched on Redis's own channels as another instance would see
 * them. The sending connection gets its own copy with the ack, so the copy for the sender's other
 * connections is published only when there are some; the recipient's copy only when one of its
 * live connections is on another instance.
 */
@ParleyIntegrationTest
class PrivatePublishIT {

	@Autowired
	ParleyHttp http;

	@Autowired
	LettuceConnectionFactory connectionFactory;

	@Autowired
	StringRedisTemplate redis;

	private StatefulRedisPubSubConnection<String, String> watcher;

	private final BlockingQueue<String> published = new LinkedBlockingQueue<>();

	@BeforeEach
	void watchPublishes() {
		watcher = ((RedisClient) connectionFactory.getRequiredNativeClient()).connectPubSub(StringCodec.UTF8);
		watcher.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void message(String channel, String message) {
				published.add(channel);
			}
		});
	}

	@AfterEach
	void stopWatching() {
		watcher.close();
	}

	@Test
	void aMessageBetweenUsersConnectedOnlyHereIsDeliveredWithoutAPublish() throws InterruptedException {
		Guest ann = http.guest("Ann");
		Guest ben = http.guest("Ben");
		try (WsClient a = http.connectWelcomed(ann); WsClient b = http.connectWelcomed(ben)) {
			watch(ann, ben);

			String id = send(a, ben);

			assertThat(b.next("private").path("id").asString()).isEqualTo(id);
			assertThat(published.poll(300, TimeUnit.MILLISECONDS)).as("a publish").isNull();
		}
	}

	@Test
	void aMessageToARecipientWithALiveConnectionElsewhereIsPublished() throws InterruptedException {
		Guest ann = http.guest("Ann");
		Guest ben = http.guest("Ben");
		try (WsClient a = http.connectWelcomed(ann); WsClient b = http.connectWelcomed(ben)) {
			watch(ann, ben);
			redis.opsForZSet().add(RedisKeys.userConnections(ben.id()), "another-instance.1",
					System.currentTimeMillis() + 60_000);

			String id = send(a, ben);

			assertThat(published.poll(5, TimeUnit.SECONDS)).isEqualTo(RedisKeys.userChannel(ben.id()));
			assertThat(b.next("private").path("id").asString()).isEqualTo(id);
			assertThat(published.poll(300, TimeUnit.MILLISECONDS)).as("a copy for the sender's channel").isNull();
		}
	}

	@Test
	void aSenderWithAnotherConnectionGetsACopyThroughRedis() throws InterruptedException {
		Guest ann = http.guest("Ann");
		Guest ben = http.guest("Ben");
		try (WsClient a = http.connectWelcomed(ann); WsClient a2 = http.connectWelcomed(ann);
				WsClient b = http.connectWelcomed(ben)) {
			watch(ann, ben);

			String id = send(a, ben);

			assertThat(published.poll(5, TimeUnit.SECONDS)).isEqualTo(RedisKeys.userChannel(ann.id()));
			assertThat(a2.next("private").path("id").asString()).isEqualTo(id);
			assertThat(b.next("private").path("id").asString()).isEqualTo(id);
			assertThat(published.poll(300, TimeUnit.MILLISECONDS)).as("a publish for the recipient").isNull();
		}
	}

	private void watch(Guest... users) {
		for (Guest user : users) {
			watcher.sync().subscribe(RedisKeys.userChannel(user.id()));
		}
	}

	private static String send(WsClient from, Guest to) {
		JsonNode ack = from.request(Map.of("type", "private", "to", to.id(), "text", "psst"));
		assertThat(ack.path("type").asString()).isEqualTo("ack");
		assertThat(from.next().path("type").asString()).isEqualTo("private");
		return ack.path("id").asString();
	}

}
