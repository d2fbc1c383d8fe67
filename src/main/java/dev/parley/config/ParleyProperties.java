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
import jakarta.validation.constraints.Positive;
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

	/**
	 * The Redis server Parley starts itself when no {@code spring.data.redis.host} or {@code url} is set.
	 *
	 * @param backgroundNice CPU priority ({@code renice}) of its AOF rewrites, which otherwise take CPU from
	 *        serving on a shared machine; {@code 0} leaves them as Redis starts them
	 * @param dir its data directory (AOF)
	 * @param enabled start a Redis when none is configured (no {@code spring.data.redis.host}, {@code url},
	 *        {@code sentinel.*} or {@code cluster.nodes})
	 * @param port its port; {@code 0} picks a free one
	 */
	public record EmbeddedRedis(@DefaultValue("true") boolean enabled, @DefaultValue("0") @Min(0) int port,
			@DefaultValue("./data") @NotNull Path dir, @DefaultValue("19") @Min(0) @Max(19) int backgroundNice) {
	}

	/**
	 * Settings under {@code parley.history}.
	 *
	 * @param joinLimit messages a {@code joined} reply carries without {@code since}; default {@code history}
	 *        page
	 * @param maxPage largest {@code history} page
	 * @param maxPerConversation messages kept per private conversation
	 * @param maxPerRoom messages kept per room (stream {@code MAXLEN ~})
	 */
	public record History(@DefaultValue("10000") @Min(1) int maxPerRoom, @DefaultValue("50") @Min(0) int joinLimit,
			@DefaultValue("100") @Min(1) int maxPage, @DefaultValue("1000") @Min(1) int maxPerConversation) {
	}

	/**
	 * Settings under {@code parley.limits}.
	 *
	 * @param bodyTimeout how long a request body may take to arrive; bodies are read whole before the
	 *        application runs, with no thread waiting on them, so bodies trickling in cannot hold Jetty's
	 *        threads; later: {@code 408}
	 * @param frameSize bytes per WebSocket frame; larger closes with {@code 1009}
	 * @param pendingStores messages this instance has sent to Redis and not yet heard back about; past it,
	 *        new messages get {@code unavailable} ("busy") at once rather than queueing (load shedding)
	 * @param pushBody bytes per push API body
	 * @param rateBurst ... with bursts up to this many; past it: {@code rate_limited}
	 * @param ratePerSecond frames per second per connection ...
	 * @param requestBody bytes per HTTP request body, whoever sends it (nginx or not); past it: {@code 413}
	 *        at once; up to 4 MB more of the body is then read and dropped, so that a client still sending
	 *        reads the answer rather than a reset
	 * @param sendLag how long a broadcast may wait for a send thread; while the oldest waits longer, new
	 *        messages get {@code unavailable} ("busy") at once: the instance's own CPU is the queue then
	 * @param textLength characters per message
	 */
	public record Limits(@DefaultValue("4000") @Min(1) int textLength, @DefaultValue("65536") @Min(1024) int frameSize,
			@DefaultValue("20") @Min(1) int ratePerSecond, @DefaultValue("40") @Min(1) int rateBurst,
			@DefaultValue("65536") @Min(1024) int pushBody, @DefaultValue("1000") @Min(1) int pendingStores,
			@DefaultValue("500ms") @NotNull Duration sendLag, @DefaultValue("1048576") @Min(1024) long requestBody,
			@DefaultValue("10s") @NotNull Duration bodyTimeout) {
	}

	/**
	 * The send side: a bounded executor, a bounded buffer per connection, a time limit per blocked send.
	 *
	 * @param bufferBytes characters queued per connection before it is closed with {@code 4002}
	 * @param bufferMessages frames queued per connection before it is closed with {@code 4002}
	 * @param queueCapacity tasks that executor queues before refusing (the connection is then closed with
	 *        {@code 1013})
	 * @param threads threads of the bounded executor that hands frames to the sockets (writes are
	 *        asynchronous)
	 * @param timeLimit how long a closing connection may take to flush its close frame before it is dropped
	 */
	public record Send(@DefaultValue("4") @Min(1) int threads, @DefaultValue("100000") @Min(1) int queueCapacity,
			@DefaultValue("1000") @Min(1) int bufferMessages, @DefaultValue("1048576") @Min(1024) int bufferBytes,
			@DefaultValue("5s") @NotNull Duration timeLimit) {
	}

	/**
	 * Presence: a connection's entry lives {@code ttl}, refreshed every {@code refresh}. In a room
	 * with more than {@code countAbove} members online, joins, leaves and comings and goings are
	 * told as one count event a second instead of an event each.
	 *
	 * @param countAbove above this many members online in a room, its members get one {@code count} presence
	 *        event a second instead of an event per join, leave, coming online or going offline
	 * @param refresh how often each instance refreshes each of its connections (a tenth of them every tenth
	 *        of the period, so Redis never gets one long burst)
	 * @param ttl a connection not refreshed for this long counts as gone (its instance died)
	 */
	public record Presence(@DefaultValue("30s") @NotNull Duration ttl, @DefaultValue("10s") @NotNull Duration refresh,
			@DefaultValue("1000") @Min(1) int countAbove) {
	}

	/**
	 * Accounts and logins. After {@code loginAttempts} wrong passwords in a row for one username from
	 * one address, that pair's logins (chat, console and token API) are refused for {@code loginLockout}.
	 * Every {@code sweepInterval}, what the guests deleted after {@code guestTtl} left is removed.
	 *
	 * @param guestEnabled allow guests ({@code /api/auth/guest}, "Join as guest")
	 * @param guestTtl a guest who does not come back for this long is deleted, with their memberships,
	 *        conversations, read marks and queued messages: whoever takes the name next starts afresh
	 * @param loginAttempts wrong passwords in a row for one username from one address (chat form, token API,
	 *        console form) before that login is paused ...
	 * @param loginLockout ... for this long, counted from the first wrong password; the token API then
	 *        answers {@code 429} with {@code Retry-After}
	 * @param rememberMe lifetime of the remember-me cookie
	 * @param sweepInterval how often each instance removes what deleted guests left: memberships,
	 *        conversations (a name taken again is cleaned at once)
	 * @param tokenTtl lifetime of bearer tokens
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
	 *
	 * @param allowedOrigins Origins allowed to open {@code /ws}; empty means the page's own origin only.
	 *        Clients that send no Origin (non-browsers) are allowed
	 * @param heartbeatInterval the server pings every connection this often, unless frames went both ways
	 *        within it
	 * @param heartbeatTimeout a connection from which nothing (frame or pong) arrived for this long is closed
	 *        with {@code 4001}
	 * @param readOnSelector {@code /ws} frames are read and handled on Jetty's selector thread, and only
	 *        frames that wait for Redis ({@code join}, {@code leave}, {@code history}, {@code typing}, {@code
	 *        read}, and a {@code message} to a room the connection has not joined, whose error says whether
	 *        the room exists) go to Jetty's pool; {@code false} hands every read to the pool, as Jetty does
	 *        by default
	 * @param handshakesInFlight connections accepted on the chat port and not yet past their HTTP
	 *        exchange (upgraded or closed) beyond which a newly accepted one has its handshake answered
	 *        {@code 503} with {@code Retry-After} as soon as it is read, without authentication or Redis: a
	 *        reconnect storm is served at full rate up to this many and the rest come back later, instead
	 *        of waiting in Jetty's queue until their clients give up
	 */
	public record Ws(@DefaultValue List<String> allowedOrigins,
			@DefaultValue("25s") @NotNull Duration heartbeatInterval,
			@DefaultValue("60s") @NotNull Duration heartbeatTimeout,
			@DefaultValue("true") boolean readOnSelector,
			@DefaultValue("1000") @Positive int handshakesInFlight) {
	}

	/**
	 * How long a stopping instance waits for its connections to flush and close.
	 *
	 * @param grace on shutdown, how long to wait for connections to flush and close with {@code 1001}
	 */
	public record Shutdown(@DefaultValue("10s") @NotNull Duration grace) {
	}

	/**
	 * Rooms created at start-up besides the lobby (slugs; the name is the slug), and whether users
	 * may create rooms from the chat page ({@code POST /api/rooms}); admins always may, in the console.
	 *
	 * @param initial room slugs to create at start-up besides {@code lobby}
	 * @param usersCreate whether users may make rooms, public or private, from the chat page ({@code POST
	 *        /api/rooms}); admins always may, in the console
	 */
	public record Rooms(@DefaultValue List<String> initial, @DefaultValue("true") boolean usersCreate) {
	}

	/**
	 * The peers whose {@code X-Forwarded-*} and {@code Forwarded} headers are believed (addresses or
	 * CIDR ranges): the reverse proxies. From anyone else those headers are dropped.
	 *
	 * @param trusted addresses or CIDR ranges of reverse proxies whose {@code X-Forwarded-*}/{@code
	 *        Forwarded} headers are applied (scheme, host, port, client address); from any other peer these
	 *        headers are removed
	 */
	public record Proxy(@DefaultValue({ "127.0.0.0/8", "::1", "10.0.0.0/8", "172.16.0.0/12",
			"192.168.0.0/16" }) List<String> trusted) {
	}

	/**
	 * The keys other systems present to the push API ({@code Authorization: Bearer <key>}). None
	 * configured: the push API answers 401 to every call.
	 *
	 * @param keys push API keys (comma-separated, 16 characters or more each), besides those made in the
	 *        admin console; none of either: the push API answers {@code 401}
	 */
	public record Push(@DefaultValue List<@Size(min = 16, message = "a push key needs at least 16 characters") String> keys) {
	}

	/**
	 * The admin console's account. A blank password makes each start generate one and log it;
	 * {@code {bcrypt}$2...} gives a BCrypt hash instead of the password itself. A banned guest's
	 * address may make no new guest for {@code guestAddressBan} (zero: no such ban), so that
	 * logging out and joining again does not undo the ban.
	 *
	 * @param guestAddressBan how long the address a banned guest joined from may make no new guest (logging
	 *        out and joining again does not undo a ban); {@code 0s}: no such ban; the unban lifts it
	 * @param password its password, or a BCrypt hash written <code>&#123;bcrypt&#125;$2a$...</code>; empty:
	 *        each start generates one and logs it
	 * @param username the admin console's user name ({@code /admin/login})
	 */
	public record Admin(@DefaultValue("admin") @NotBlank String username, @DefaultValue("") String password,
			@DefaultValue("1d") @NotNull Duration guestAddressBan) {
	}

	/**
	 * The bot that answers when a room message mentions {@code @username}; a user of its own, who cannot log in.
	 *
	 * @param enabled the room bot: it answers room messages that mention it
	 * @param name the name its messages show
	 * @param username its user id, mentioned as <code>&#64;parley-bot</code>; if a person already holds that
	 *        username, the bot stays silent and logs why
	 */
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
	 *
	 * @param linger once a store batch carried more than one message (a busy server), how long the next waits
	 *        for more (up to 32) before going to Redis: fewer, larger script calls for at most this much
	 *        latency; {@code 0} sends each batch as soon as the previous one is answered
	 * @param replicaTimeout how long a store batch waits for those replicas; past it its senders get {@code
	 *        unavailable} (the messages may be in the history)
	 * @param replicas how many replicas must hold a stored message before it is acknowledged (Redis {@code
	 *        WAIT} after each store batch, on the master that stored it); {@code 0} acknowledges once the
	 *        master has it, and a failover may lose the last acknowledged messages (docs/scaling.md)
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
	 *
	 * @param accounts ... accounts registered from one client address ({@code POST /api/users}, the
	 *        registration form)
	 * @param connectionsPerAddress connections one client address may hold on one instance (offices behind
	 *        one NAT share an address); the next handshake there gets {@code 429} with {@code Retry-After}
	 * @param connectionsPerUser live connections one user may hold on all instances together; the next
	 *        handshake gets {@code 429} with {@code Retry-After}
	 * @param guests ... guests created from one address ({@code POST /api/auth/guest}, "Join as guest")
	 * @param handshakes ... {@code /ws} handshakes from one address
	 * @param rooms ... rooms made from one address ({@code POST /api/rooms})
	 * @param tokens ... token requests from one address ({@code POST /api/auth/token}), right or wrong
	 * @param window the window of the per-address counts below, kept in Redis and shared by every instance;
	 *        past a count: {@code 429} with {@code Retry-After} ...
	 */
	public record Throttle(@DefaultValue("1m") @NotNull Duration window, @DefaultValue("5") @Min(1) int accounts,
			@DefaultValue("20") @Min(1) int guests, @DefaultValue("30") @Min(1) int tokens,
			@DefaultValue("300") @Min(1) int handshakes, @DefaultValue("20") @Min(1) int connectionsPerUser,
			@DefaultValue("1000") @Min(1) int connectionsPerAddress, @DefaultValue("10") @Min(1) int rooms) {
	}

	/**
	 * Settings under {@code parley.offline}.
	 *
	 * @param maxPerUser private messages kept for a user who is offline
	 * @param ttl how long they are kept
	 */
	public record Offline(@DefaultValue("1000") @Min(1) int maxPerUser, @DefaultValue("30d") @NotNull Duration ttl) {
	}

	/**
	 * Files shared in messages ({@code POST /api/files}): the largest one, the types taken (checked
	 * from the content), what each user may keep at once, how long an upload may take to arrive,
	 * and where files are kept: a directory ({@code store=directory}, shared by every instance) or
	 * an S3-compatible bucket ({@code store=s3}).
	 *
	 * @param dir the directory store's directory
	 * @param maxSize the largest file {@code POST /api/files} takes ({@code 413} past it); nginx's {@code
	 *        client_max_body_size} for {@code /api/files} must allow it too
	 * @param quota what one user may keep at once (and at most 1,000 files); files never sent within a day of
	 *        their upload stop counting
	 * @param store {@code directory}: files under {@code parley.files.dir}, which every instance must share
	 *        (docker-compose mounts one volume in both); {@code s3}: an S3-compatible bucket
	 * @param types the types taken ({@code 415} otherwise), as the file's content shows them (its first
	 *        bytes; text: UTF-8 without control characters), whatever its name or claimed type
	 * @param uploadTimeout how long an upload's body may take to arrive ({@code 408} after)
	 * @param sweepInterval how often each instance removes the files of messages that a history's
	 *        length bound trimmed off, and of deleted rooms
	 */
	public record Files(@DefaultValue("10MB") @NotNull DataSize maxSize,
			@DefaultValue({ "image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain" })
			@NotNull List<@NotBlank String> types, @DefaultValue("200MB") @NotNull DataSize quota,
			@DefaultValue("2m") @NotNull Duration uploadTimeout, @DefaultValue("directory") @NotNull Store store,
			@DefaultValue("./data/files") @NotNull Path dir, @Valid @NotNull @DefaultValue S3 s3,
			@DefaultValue("10m") @NotNull Duration sweepInterval) {

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

		/**
		 * An S3-compatible bucket: AWS, MinIO, S3Proxy... {@code endpoint} empty for AWS itself.
		 *
		 * @param accessKey credentials; empty for the AWS SDK's own chain (environment, profile, instance
		 *        role)
		 * @param bucket the bucket, created at start when missing
		 * @param endpoint the S3-compatible server's URL (MinIO, S3Proxy...); empty for AWS S3 itself
		 * @param pathStyle {@code http://host/bucket/key} addresses, as MinIO and S3Proxy expect; {@code
		 *        false} for virtual-hosted buckets
		 * @param region the bucket's region
		 * @param secretKey credentials; empty for the AWS SDK's own chain (environment, profile, instance
		 *        role)
		 */
		public record S3(@DefaultValue("") String endpoint, @DefaultValue("us-east-1") @NotBlank String region,
				@DefaultValue("parley-files") @NotBlank String bucket, @DefaultValue("") String accessKey,
				@DefaultValue("") String secretKey, @DefaultValue("true") boolean pathStyle) {
		}

	}

}
