package dev.parley.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every Parley setting, under one {@code parley.*} prefix. The README documents each one.
 */
@Validated
@ConfigurationProperties("parley")
public record ParleyProperties(@Valid @NotNull @DefaultValue EmbeddedRedis embeddedRedis,
		@Valid @NotNull @DefaultValue History history, @Valid @NotNull @DefaultValue Limits limits,
		@Valid @NotNull @DefaultValue Send send, @Valid @NotNull @DefaultValue Presence presence,
		@Valid @NotNull @DefaultValue Auth auth, @Valid @NotNull @DefaultValue Ws ws,
		@Valid @NotNull @DefaultValue Offline offline, @Valid @NotNull @DefaultValue Rooms rooms,
		@Valid @NotNull @DefaultValue Shutdown shutdown, @Valid @NotNull @DefaultValue Proxy proxy,
		@Valid @NotNull @DefaultValue Push push, @Valid @NotNull @DefaultValue Admin admin,
		@Valid @NotNull @DefaultValue Bot bot, @Valid @NotNull @DefaultValue Store store,
		@Valid @NotNull @DefaultValue Throttle throttle, @Valid @NotNull @DefaultValue Files files) {

	/** The Redis server Parley starts itself when no {@code spring.data.redis.host} or {@code url} is set. */
	public record EmbeddedRedis(@DefaultValue("true") boolean enabled, @DefaultValue("0") @Min(0) int port,
			@DefaultValue("./data") @NotNull Path dir, @DefaultValue("19") @Min(0) @Max(19) int backgroundNice) {
	}

	public record History(@DefaultValue("10000") @Min(1) int maxPerRoom, @DefaultValue("50") @Min(0) int joinLimit,
			@DefaultValue("100") @Min(1) int maxPage, @DefaultValue("1000") @Min(1) int maxPerConversation) {
	}

	public record Limits(@DefaultValue("4000") @Min(1) int textLength, @DefaultValue("65536") @Min(1024) int frameSize,
			@DefaultValue("20") @Min(1) int ratePerSecond, @DefaultValue("40") @Min(1) int rateBurst,
			@DefaultValue("65536") @Min(1024) int pushBody, @DefaultValue("1000") @Min(1) int pendingStores,
			@DefaultValue("500ms") @NotNull Duration sendLag, @DefaultValue("1048576") @Min(1024) long requestBody,
			@DefaultValue("10s") @NotNull Duration bodyTimeout) {
	}

	/** The send side: a bounded executor, a bounded buffer per connection, a time limit per blocked send. */
	public record Send(@DefaultValue("4") @Min(1) int threads, @DefaultValue("100000") @Min(1) int queueCapacity,
			@DefaultValue("1000") @Min(1) int bufferMessages, @DefaultValue("1048576") @Min(1024) int bufferBytes,
			@DefaultValue("5s") @NotNull Duration timeLimit) {
	}

	/**
	 * Presence: a connection's entry lives {@code ttl}, refreshed every {@code refresh}. In a room
	 * with more than {@code countAbove} members online, joins, leaves and comings and goings are
	 * told as one count event a second instead of an event each.
	 */
	public record Presence(@DefaultValue("30s") @NotNull Duration ttl, @DefaultValue("10s") @NotNull Duration refresh,
			@DefaultValue("1000") @Min(1) int countAbove) {
	}

	/**
	 * Accounts and logins. After {@code loginAttempts} wrong passwords in a row for one username from
	 * one address, that pair's logins (chat, console and token API) are refused for {@code loginLockout}.
	 * Every {@code sweepInterval}, what the guests deleted after {@code guestTtl} left is removed.
	 */
	public record Auth(@DefaultValue("true") boolean guestEnabled, @DefaultValue("30d") @NotNull Duration tokenTtl,
			@DefaultValue("30d") @NotNull Duration guestTtl, @DefaultValue("30d") @NotNull Duration rememberMe,
			@DefaultValue("10") @Min(1) int loginAttempts, @DefaultValue("15m") @NotNull Duration loginLockout,
			@DefaultValue("1h") @NotNull Duration sweepInterval) {
	}

	/**
	 * Allowed Origins for {@code /ws} (empty means the page's own origin only), and the heartbeat:
	 * the server pings every {@code heartbeatInterval} and closes with 4001 a connection from which
	 * nothing (no frame, no pong) arrived for {@code heartbeatTimeout}.
	 */
	public record Ws(@DefaultValue List<String> allowedOrigins,
			@DefaultValue("25s") @NotNull Duration heartbeatInterval,
			@DefaultValue("60s") @NotNull Duration heartbeatTimeout,
			@DefaultValue("true") boolean readOnSelector) {
	}

	/** How long a stopping instance waits for its connections to flush and close. */
	public record Shutdown(@DefaultValue("10s") @NotNull Duration grace) {
	}

	/**
	 * Rooms created at start-up besides the lobby (slugs; the name is the slug), and whether users
	 * may create rooms from the chat page ({@code POST /api/rooms}); admins always may, in the console.
	 */
	public record Rooms(@DefaultValue List<String> initial, @DefaultValue("true") boolean usersCreate) {
	}

	/**
	 * The peers whose {@code X-Forwarded-*} and {@code Forwarded} headers are believed (addresses or
	 * CIDR ranges): the reverse proxies. From anyone else those headers are dropped.
	 */
	public record Proxy(@DefaultValue({ "127.0.0.0/8", "::1", "10.0.0.0/8", "172.16.0.0/12",
			"192.168.0.0/16" }) List<String> trusted) {
	}

	/**
	 * The keys other systems present to the push API ({@code Authorization: Bearer <key>}). None
	 * configured: the push API answers 401 to every call.
	 */
	public record Push(@DefaultValue List<@Size(min = 16, message = "a push key needs at least 16 characters") String> keys) {
	}

	/**
	 * The admin console's account. A blank password makes each start generate one and log it;
	 * {@code {bcrypt}$2...} gives a BCrypt hash instead of the password itself. A banned guest's
	 * address may make no new guest for {@code guestAddressBan} (zero: no such ban), so that
	 * logging out and joining again does not undo the ban.
	 */
	public record Admin(@DefaultValue("admin") @NotBlank String username, @DefaultValue("") String password,
			@DefaultValue("1d") @NotNull Duration guestAddressBan) {
	}

	/** The bot that answers when a room message mentions {@code @username}; a user of its own, who cannot log in. */
	public record Bot(@DefaultValue("true") boolean enabled,
			@DefaultValue("parley-bot") @Pattern(regexp = "^[a-z0-9._-]{3,32}$",
					message = "3 to 32 lower-case letters, digits, dots, dashes or underscores") String username,
			@DefaultValue("Parley Bot") @NotBlank String name) {
	}

	/**
	 * How long, once batches of several messages show the server is busy, a batch of stores waits for
	 * more messages before it goes to Redis; zero sends each batch as soon as the previous is answered.
	 * And how many replicas must have a stored message before it is acknowledged ({@code WAIT}), and
	 * for how long to wait for them: past it the sender gets {@code unavailable}. Zero acknowledges
	 * once the master has it; Redis replicates asynchronously, so a failover may lose the last ones.
	 */
	public record Store(@DefaultValue("1ms") @NotNull Duration linger, @DefaultValue("0") @Min(0) int replicas,
			@DefaultValue("1s") @NotNull Duration replicaTimeout) {
	}

	/**
	 * Requests per client address in each {@code window}, counted in Redis so that every instance
	 * shares the count: accounts registered, guests created, tokens asked for, WebSocket
	 * handshakes and rooms created; past a count the request gets {@code 429} with {@code Retry-After}. And the most
	 * live connections one user may hold, on all instances together, and one client address on one
	 * instance ({@code 429} past either).
	 */
	public record Throttle(@DefaultValue("1m") @NotNull Duration window, @DefaultValue("5") @Min(1) int accounts,
			@DefaultValue("20") @Min(1) int guests, @DefaultValue("30") @Min(1) int tokens,
			@DefaultValue("300") @Min(1) int handshakes, @DefaultValue("20") @Min(1) int connectionsPerUser,
			@DefaultValue("1000") @Min(1) int connectionsPerAddress, @DefaultValue("10") @Min(1) int rooms) {
	}

	public record Offline(@DefaultValue("1000") @Min(1) int maxPerUser, @DefaultValue("30d") @NotNull Duration ttl) {
	}

	/**
	 * Files shared in messages ({@code POST /api/files}): the largest one, the types taken (checked
	 * from the content), what each user may keep at once, how long an upload may take to arrive,
	 * and where files are kept: a directory ({@code store=directory}, shared by every instance) or
	 * an S3-compatible bucket ({@code store=s3}).
	 */
	public record Files(@DefaultValue("10MB") @NotNull DataSize maxSize,
			@DefaultValue({ "image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain" })
			@NotNull List<@NotBlank String> types, @DefaultValue("200MB") @NotNull DataSize quota,
			@DefaultValue("2m") @NotNull Duration uploadTimeout, @DefaultValue("directory") @NotNull Store store,
			@DefaultValue("./data/files") @NotNull Path dir, @Valid @NotNull @DefaultValue S3 s3) {

		/** The multipart envelope around an uploaded file, and room for a file a little past the limit. */
		static final long UPLOAD_OVERHEAD = 128 * 1024;

		public enum Store {
			DIRECTORY, S3
		}

		/**
		 * The most one upload's request body may hold: the largest file, its multipart envelope, and
		 * room for a file a little past the limit to reach {@code FileService}, which refuses it with
		 * its reason.
		 */
		public long uploadBodyLimit() {
			return maxSize.toBytes() + UPLOAD_OVERHEAD;
		}

		/** An S3-compatible bucket: AWS, MinIO, S3Proxy... {@code endpoint} empty for AWS itself. */
		public record S3(@DefaultValue("") String endpoint, @DefaultValue("us-east-1") @NotBlank String region,
				@DefaultValue("parley-files") @NotBlank String bucket, @DefaultValue("") String accessKey,
				@DefaultValue("") String secretKey, @DefaultValue("true") boolean pathStyle) {
		}

	}

}
