package dev.parley.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import dev.parley.chat.ChatException;
import dev.parley.chat.ErrorCode;
import dev.parley.chat.InstanceId;
import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisAsync;
import dev.parley.config.RedisKeys;
import dev.parley.history.MessageFormat;
import dev.parley.history.RedisHistoryStore;
import dev.parley.room.RoomService;
import dev.parley.support.ParleyIntegrationTest;
import dev.parley.user.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages that arrive while a store is on its way to Redis go out together, in one script call,
 * in arrival order; one that fails inside Redis fails alone; once batches carry several messages, the
 * next waits for more, up to the linger. Redis is paused for writes while the first store is in
 * flight, so that the others are sure to wait for it.
 */
@ParleyIntegrationTest
class StoreBatcherIT {

	private static final User ANN = User.member("batch-ann", "Ann");

	private static final Duration LINGER = Duration.ofMillis(1500);

	@Autowired
	MessageStore store;

	@Autowired
	RoomService rooms;

	@Autowired
	RedisHistoryStore history;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	RedisAsync async;

	@Autowired
	MessageFormat format;

	@Autowired
	ParleyProperties properties;

	@BeforeEach
	void roomsWithAnnAsMember() {
		for (String slug : List.of("batch-open", "batch-closed", "batch-broken")) {
			rooms.createIfAbsent(slug, slug, "");
			rooms.join(ANN.id(), slug);
		}
		rooms.setOpen("batch-closed", false);
		redis.delete(RedisKeys.roomHistory("batch-broken"));
		redis.opsForValue().set(RedisKeys.roomHistory("batch-broken"), "not a stream");
		// a batch of one, as from a quiet server: the next message goes at once, without lingering
		store.storeRoomMessage("batch-open", ANN, "quiet").join();
	}

	@Test
	void messagesWaitingForAStoreInFlightGoOutTogetherInArrivalOrder() {
		long callsBefore = scriptCalls();
		pauseWrites();
		List<CompletableFuture<String>> stored = new ArrayList<>();
		for (int i = 0; i < StoreBatcher.MAX_BATCH + 50; i++) {
			stored.add(store.storeRoomMessage("batch-open", ANN, "message " + i));
		}
		List<String> ids = stored.stream().map(CompletableFuture::join).toList();

		assertThat(scriptCalls() - callsBefore).as("the first alone, then two batches (and any presence refresh)")
			.isBetween(3L, 4L);
		assertThat(ids).isSortedAccordingTo(StoreBatcherIT::compareIds).doesNotHaveDuplicates();
		assertThat(history.latest("batch-open", 2)).last().asString().contains("\"text\":\"message 177\"");
	}

	@Test
	void aMessageThatFailsInsideRedisFailsAloneAndTheRestOfItsBatchIsStored() {
		long callsBefore = scriptCalls();
		pauseWrites();
		CompletableFuture<String> first = store.storeRoomMessage("batch-open", ANN, "first");
		CompletableFuture<String> closed = store.storeRoomMessage("batch-closed", ANN, "to a closed room");
		CompletableFuture<String> broken = store.storeRoomMessage("batch-broken", ANN, "to a broken history");
		CompletableFuture<String> last = store.storeRoomMessage("batch-open", ANN, "last");

		assertThat(first.join()).isNotBlank();
		assertThat(last.join()).isNotBlank();
		assertThat(scriptCalls() - callsBefore).as("the first alone, then the other three together (and any presence refresh)")
			.isBetween(2L, 3L);
		assertThat(errorOf(closed)).isEqualTo(ErrorCode.FORBIDDEN);
		assertThat(errorOf(broken)).isEqualTo(ErrorCode.UNAVAILABLE);
		assertThat(history.latest("batch-open", 1)).singleElement().asString().contains("\"text\":\"last\"");
	}

	@Test
	void afterABatchOfSeveralTheNextWaitsForTheLingerAndAfterABatchOfOneTheNextGoesAtOnce() {
		StoreBatcher batcher = new StoreBatcher(async, new InstanceId(), LINGER, properties);
		busy(batcher);

		long lingered = millisToStore(batcher, 1);
		long atOnce = millisToStore(batcher, 1);

		assertThat(lingered).as("a lone message after a batch of two").isGreaterThanOrEqualTo(LINGER.toMillis());
		assertThat(atOnce).as("the next, after a batch of one").isLessThan(LINGER.toMillis() / 2);
	}

	@Test
	void aLingeringBatchGoesAsSoonAsEnoughMessagesWait() {
		StoreBatcher batcher = new StoreBatcher(async, new InstanceId(), LINGER, properties);
		busy(batcher);

		assertThat(millisToStore(batcher, StoreBatcher.LINGER_TARGET)).isLessThan(LINGER.toMillis() / 2);
	}

	@Test
	void privateMessagesToAnOfflineUserWaitInAQueueBoundedInLengthAndTime() {
		User away = User.member("batch-away", "Away");
		String queue = RedisKeys.userOffline(away.id());
		redis.delete(queue);
		int max = properties.offline().maxPerUser();
		for (int sent = 0; sent < max + 5; sent += 100) {
			List<CompletableFuture<MessageStore.StoredPrivate>> stored = new ArrayList<>();
			for (int i = sent; i < Math.min(sent + 100, max + 5); i++) {
				stored.add(store.storePrivate(ANN, away, "while away " + i, "", "batch-connection"));
			}
			stored.forEach(CompletableFuture::join);
		}

		assertThat(redis.opsForList().size(queue)).isEqualTo(max);
		assertThat(redis.opsForList().index(queue, 0)).contains("\"text\":\"while away 5\"");
		long ttl = properties.offline().ttl().toMillis();
		assertThat(redis.getExpire(queue, TimeUnit.MILLISECONDS)).isBetween(ttl - 60_000, ttl);
	}

	/** A batch of two: one message in flight while Redis pauses, two more waiting for it. */
	private void busy(StoreBatcher batcher) {
		pauseWrites();
		List<CompletableFuture<String>> stored = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			stored.add(store(batcher, "busy " + i));
		}
		stored.forEach(CompletableFuture::join);
	}

	private long millisToStore(StoreBatcher batcher, int messages) {
		long start = System.nanoTime();
		List<CompletableFuture<String>> stored = new ArrayList<>();
		for (int i = 0; i < messages; i++) {
			stored.add(store(batcher, "timed " + i));
		}
		stored.forEach(CompletableFuture::join);
		return (System.nanoTime() - start) / 1_000_000;
	}

	private CompletableFuture<String> store(StoreBatcher batcher, String text) {
		String slug = "batch-open";
		return batcher.store(
				new StoreCommand.RoomMessage(slug, ANN.id(), MessageFormat.roomHead(slug), format.roomTail(ANN, text), ""));
	}

	private static ErrorCode errorOf(CompletableFuture<String> store) {
		try {
			store.join();
			throw new AssertionError("stored, but should have failed");
		}
		catch (CompletionException ex) {
			return ((ChatException) ex.getCause()).code();
		}
	}

	/** Writes, scripts included, wait in Redis for a moment: the first store stays in flight meanwhile. */
	private void pauseWrites() {
		redis.execute((RedisCallback<Object>) connection -> connection.execute("CLIENT", bytes("PAUSE"),
				bytes("300"), bytes("WRITE")));
	}

	private long scriptCalls() {
		Properties stats = redis.execute((RedisConnection connection) -> connection.serverCommands().info("commandstats"));
		String evalsha = stats.getProperty("cmdstat_evalsha", "calls=0,");
		return Long.parseLong(evalsha.substring("calls=".length(), evalsha.indexOf(',')));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static int compareIds(String a, String b) {
		String[] x = a.split("-");
		String[] y = b.split("-");
		int byTime = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
		return byTime != 0 ? byTime : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
	}

}
