package dev.parley.chat;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import dev.parley.config.RedisKeys;
import dev.parley.support.ParleyHttp;
import dev.parley.support.ParleyHttp.Guest;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.support.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sending connection gets its own copy of a private message with the ack, so the copy for
 * the sender's other connections is published only when there are some: watched on Redis's own
 * channels, as another instance would see them.
 */
@ParleyIntegrationTest
class PrivatePublishIT {

	@Autowired
	ParleyHttp http;

	@Autowired
	LettuceConnectionFactory connectionFactory;

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
	void aSenderWithOneConnectionGetsNoCopyThroughRedis() throws InterruptedException {
		Guest ann = http.guest("Ann");
		Guest ben = http.guest("Ben");
		try (WsClient a = http.connectWelcomed(ann); WsClient b = http.connectWelcomed(ben)) {
			watch(ann, ben);

			send(a, ben);

			assertThat(published.poll(5, TimeUnit.SECONDS)).isEqualTo(RedisKeys.userChannel(ben.id()));
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

			send(a, ben);

			assertThat(new String[] { published.poll(5, TimeUnit.SECONDS), published.poll(5, TimeUnit.SECONDS) })
				.containsExactlyInAnyOrder(RedisKeys.userChannel(ben.id()), RedisKeys.userChannel(ann.id()));
			assertThat(a2.next("private").path("text").asString()).isEqualTo("psst");
		}
	}

	private void watch(Guest... users) {
		for (Guest user : users) {
			watcher.sync().subscribe(RedisKeys.userChannel(user.id()));
		}
	}

	private static void send(WsClient from, Guest to) {
		JsonNode ack = from.request(Map.of("type", "private", "to", to.id(), "text", "psst"));
		assertThat(ack.path("type").asString()).isEqualTo("ack");
		assertThat(from.next().path("type").asString()).isEqualTo("private");
	}

}
