package dev.parley.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import org.HdrHistogram.Histogram;

/** The standard scenarios: idle, fanout, rooms, private, churn, and the find-max ramp. */
final class Scenarios {

	private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

	/** Upgrades a loader keeps pending at once, but in the storm: enough to connect thousands in seconds. */
	private static final int HANDSHAKES_IN_FLIGHT = 256;

	private static final Pattern HTTP_STATUS = Pattern.compile("\\b([45]\\d\\d)\\b");

	private final Options options;

	private final RedisForks redisForks;

	private final List<String> baseUrls;

	private final Path results;

	private final ServerProbe probe;

	private final String label;

	Scenarios(Options options) {
		this.options = options;
		this.baseUrls = List.of(options.string("url", "http://127.0.0.1:8080").split(","));
		this.results = Path.of(options.string("results", "target/bench-results.txt"));
		this.probe = new ServerProbe(options.integer("server-pid", 0));
		this.redisForks = new RedisForks(options.integer("redis-port", 0));
		this.label = options.string("label", "");
	}

	/** N connections that only connect: connect rate, and server memory per connection. */
	void idle() throws Exception {
		int n = options.integer("connections", 10_000);
		int samples = options.integer("samples", 5);
		List<Accounts.Account> accounts = Accounts.guests(baseUrls.get(0), "idle", n);
		Stats stats = new Stats();
		Traffic traffic = new Traffic(stats, 0);
		try (Loader loader = loader()) {
			long rss0 = probe.rssKib();
			long heap0 = probe.heapUsedKib();
			point("idle-memory", 0, rss0, heap0);
			List<Loader.Conn> conns = new ArrayList<>(n);
			long start = System.nanoTime();
			long connectNanos = 0;
			int step = Math.max(1, n / samples);
			for (int done = 0; done < n; done += step) {
				int upTo = Math.min(n, done + step);
				long t0 = System.nanoTime();
				conns.addAll(connectAll(loader, traffic, accounts.subList(done, upTo)));
				connectNanos += System.nanoTime() - t0;
				point("idle-memory", upTo, probe.rssKib(), probe.heapUsedKib());
			}
			long rss = probe.rssKib();
			long heap = probe.heapUsedKib();
			double seconds = connectNanos / 1e9;
			Result result = base("idle").put("connections", n)
				.put("transport", loader.transport())
				.put("connect_per_s", n / seconds)
				.put("rss_kib", rss)
				.put("rss_per_conn_kib", (rss - rss0) / (double) n)
				.put("heap_per_conn_kib", (heap - heap0) / (double) n)
				.put("elapsed_s", (System.nanoTime() - start) / 1e9);
			emit(result);
			// --hold: time to look into the server (a heap histogram, say) while they are all connected
			Thread.sleep(options.integer("hold", 0) * 1000L);
			conns.forEach(Loader.Conn::close);
			reconnectRounds(loader, traffic, accounts, options.integer("rounds", 1) - 1);
		}
	}

	/**
	 * The same accounts connect again, all at once, once per round: the handshake's rate alone,
	 * without the guests' creation, on an instance that warms from round to round.
	 */
	private void reconnectRounds(Loader loader, Traffic traffic, List<Accounts.Account> accounts, int rounds)
			throws Exception {
		for (int round = 2; round <= rounds + 1; round++) {
			// the closes of the round before are taken first: each user's live connections are capped
			Thread.sleep(2000);
			long t0 = System.nanoTime();
			List<Loader.Conn> conns = connectAll(loader, traffic, accounts);
			double seconds = (System.nanoTime() - t0) / 1e9;
			emit(base("idle-round").put("round", round).put("connections", accounts.size())
				.put("connect_per_s", accounts.size() / seconds));
			conns.forEach(Loader.Conn::close);
		}
	}

	/** One room of N members; S senders at a total of R messages a second. */
	void fanout() throws Exception {
		int members = options.integer("members", 1000);
		double rate = options.decimal("rate", 50);
		String room = options.string("room", "lobby");
		Group group = group("fan", members, i -> room);
		try (group) {
			prime(group, rate, senders(group, rate));
			if (options.flag("find-max")) {
				findMax(group, rate);
			}
			else {
				emit(run(group, "fanout", rate, senders(group, rate), members));
			}
		}
	}

	/**
	 * N members, connected first, then joining one room with C joins in flight: joins a second, each
	 * join's latency, and the Redis commands per join (with {@code --redis-port}).
	 */
	void bigroom() throws Exception {
		int members = options.integer("members", 5000);
		int concurrency = options.integer("join-concurrency", 64);
		String room = options.string("room", "lobby");
		Group group = group("big", members, i -> null);
		try (group) {
			long commands = redisForks.commands();
			Semaphore inFlight = new Semaphore(concurrency);
			Histogram latency = new Histogram(3);
			List<CompletableFuture<Void>> joins = new ArrayList<>(members);
			long start = System.nanoTime();
			for (int i = 0; i < members; i++) {
				inFlight.acquire();
				Traffic.Peer peer = group.peers.get(i);
				peer.joinSent = true;
				long sent = System.nanoTime();
				group.conns.get(i).send(Traffic.join(room, null));
				joins.add(peer.joined.whenComplete((ignored, error) -> {
					synchronized (latency) {
						latency.recordValue(System.nanoTime() - sent);
					}
					inFlight.release();
				}));
			}
			CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get(600, TimeUnit.SECONDS);
			double seconds = (System.nanoTime() - start) / 1e9;
			long commandsAfter = redisForks.commands();
			long failed = joins.stream().filter(CompletableFuture::isCompletedExceptionally).count();
			emit(base("bigroom").put("members", members)
				.put("join_concurrency", concurrency)
				.put("joins_per_s", members / seconds)
				.put("failed", failed)
				.put("join_p50_ms", ms(latency.getValueAtPercentile(50)))
				.put("join_p99_ms", ms(latency.getValueAtPercentile(99)))
				.put("redis_commands_per_join",
						commands < 0 || commandsAfter < 0 ? "" : String.format("%.1f", (commandsAfter - commands) / (double) members))
				.put("elapsed_s", seconds));
		}
	}

	/**
	 * A reconnect storm: N clients connect at once (C handshakes in flight) while M members of a room
	 * chat at R messages a second. The time until all are in, how many were refused (and why), and the
	 * chat's latency meanwhile (the run's window should cover the storm: {@code --duration}).
	 */
	void storm() throws Exception {
		int n = options.integer("connections", 10_000);
		int members = options.integer("members", 50);
		double rate = options.decimal("rate", 20);
		String room = options.string("room", "lobby");
		List<Accounts.Account> stormers = Accounts.guests(baseUrls.get(0), "storm", n);
		Group chat = group("calm", members, i -> room);
		try (chat; Loader loader = newLoader(baseUrls.get(0), options.integer("handshake-concurrency", 2000))) {
			List<Sender> senders = senders(chat, rate);
			prime(chat, rate, senders);
			Traffic quiet = new Traffic(new Stats(), 0);
			AtomicLong started = new AtomicLong();
			AtomicLong lastIn = new AtomicLong();
			AtomicInteger retried = new AtomicInteger();
			List<CompletableFuture<Loader.Conn>> storm = new ArrayList<>(n);
			Thread stormer = new Thread(() -> {
				try {
					Thread.sleep(options.duration("storm-after", Duration.ofSeconds(3)).toMillis());
					started.set(System.nanoTime());
					for (Accounts.Account account : stormers) {
						storm.add(connectUntilIn(loader, account.token(), quiet, retried, 0).thenApply(c -> {
							lastIn.accumulateAndGet(System.nanoTime(), Math::max);
							return c;
						}));
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, "storm");
			stormer.start();
			Result result = run(chat, "storm", rate, senders, members);
			stormer.join();
			List<String> refusals = new ArrayList<>();
			Set<String> otherFailures = new TreeSet<>();
			for (CompletableFuture<Loader.Conn> connecting : storm) {
				Throwable error = connecting.handle((conn, failure) -> failure).get(600, TimeUnit.SECONDS);
				if (error != null) {
					refusals.add(refusalStatus(error));
					if (refusalStatus(error).equals("other") && otherFailures.size() < 5) {
						otherFailures.add(String.valueOf(unwrapped(error)));
					}
				}
			}
			otherFailures.forEach(failure -> System.out.println("storm: a client gave up on " + failure));
			double seconds = (lastIn.get() - started.get()) / 1e9;
			long connected = n - refusals.size();
			Map<String, Long> byStatus = new TreeMap<>();
			refusals.forEach(status -> byStatus.merge(status, 1L, Long::sum));
			emit(result.put("scenario", "storm")
				.put("storm_connections", n)
				.put("storm_connected", connected)
				.put("storm_refused", refusals.size())
				.put("storm_refused_by_status", byStatus.toString().replace(" ", ""))
				.put("storm_retried", retried.get())
				.put("storm_s", seconds)
				.put("storm_connects_per_s", connected / seconds));
			storm.stream().filter(f -> !f.isCompletedExceptionally()).forEach(f -> f.join().close());
		}
	}

	/**
	 * Connects and waits for the welcome, as the chat page does after a drop: a handshake answered
	 * 503 or 429 is tried again after a full-jitter backoff, or the server's Retry-After if longer
	 * (docs/protocol.md, "Reconnecting"); any other failure, or the tenth refusal, is final.
	 */
	private static CompletableFuture<Loader.Conn> connectUntilIn(Loader loader, String token, Traffic quiet,
			AtomicInteger retried, int failures) {
		Traffic.Peer peer = new Traffic.Peer(token);
		CompletableFuture<Loader.Conn> attempt;
		try {
			attempt = loader.connect(token, quiet, peer).thenCompose(c -> peer.welcomed.thenApply(ignored -> c));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return CompletableFuture.failedFuture(ex);
		}
		return attempt.handle((conn, error) -> {
			if (error == null) {
				return CompletableFuture.completedFuture(conn);
			}
			String status = refusalStatus(error);
			if (!(status.equals("503") || status.equals("429")) || failures >= 9) {
				return CompletableFuture.<Loader.Conn>failedFuture(error);
			}
			retried.incrementAndGet();
			long cap = Math.min(15_000, 500L << failures);
			long delay = Math.max(ThreadLocalRandom.current().nextLong(cap + 1), retryAfterMillis(error));
			return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
				.thenCompose(ignored -> connectUntilIn(loader, token, quiet, retried, failures + 1));
		}).thenCompose(next -> next);
	}

	private static long retryAfterMillis(Throwable error) {
		if (unwrapped(error) instanceof WebSocketClientHandshakeException handshake && handshake.response() != null) {
			String seconds = handshake.response().headers().get("Retry-After");
			if (seconds != null && seconds.matches("\\d{1,4}")) {
				return Long.parseLong(seconds) * 1000;
			}
		}
		return 0;
	}

	/** The HTTP status a refused handshake got, as Netty's handshake failure names it; "other" for any other failure. */
	private static String refusalStatus(Throwable error) {
		Matcher status = HTTP_STATUS.matcher(String.valueOf(unwrapped(error).getMessage()));
		return status.find() ? status.group(1) : "other";
	}

	private static Throwable unwrapped(Throwable error) {
		return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
	}

	/** K rooms of M members; every member sends, R messages a second in all. */
	void rooms() throws Exception {
		int k = options.integer("rooms", 1000);
		int m = options.integer("members", 10);
		double rate = options.decimal("rate", 5000);
		Group group = group("room", k * m, i -> "bench-" + (i / m));
		try (group) {
			List<Sender> senders = allSenders(group, (i, now) -> group.traffic.roomMessage(group.rooms[i], now));
			ramp(group, "rooms", rate, senders, m, "rooms", k);
		}
	}

	/** P pairs talking in private; R messages a second in all. */
	void privates() throws Exception {
		int pairs = options.integer("pairs", 5000);
		double rate = options.decimal("rate", 5000);
		Group group = group("pm", pairs * 2, i -> null);
		try (group) {
			List<Sender> senders = allSenders(group,
					(i, now) -> group.traffic.privateMessage(group.accounts.get(i ^ 1).id(), now));
			ramp(group, "private", rate, senders, 2, "pairs", pairs);
		}
	}

	/** With {@code --find-max}, {@link #raise raises} the rate from {@code --rate}; otherwise one run at it. */
	private void ramp(Group group, String scenario, double rate, List<Sender> senders, int fanout, String key,
			int value) throws Exception {
		prime(group, rate, senders);
		Step step = at -> run(group, scenario, at, senders, fanout).put(key, value);
		if (options.flag("find-max")) {
			raise(step, rate, 2);
		}
		else {
			emit(step.run(rate));
		}
	}

	/**
	 * Runs steps from {@code rate} up by {@code --rate-step} (default {@code defaultFactor}), to
	 * {@code --max-rate}, while p99 stays within {@code --p99-bound-ms} with nothing lost. With
	 * {@code --refine}, the first failure is followed by one more step halfway (geometrically)
	 * between it and the last rate that passed, so that the highest passing rate is known within
	 * half a step.
	 *
	 * @return the highest step that passed, or null when none did
	 */
	private Result raise(Step step, double rate, double defaultFactor) throws Exception {
		double bound = options.decimal("p99-bound-ms", 100);
		double factor = options.decimal("rate-step", defaultFactor);
		double passed = Double.NaN;
		Result best = null;
		for (double r = rate; r <= options.decimal("max-rate", 100_000); r *= factor) {
			Result result = measured(step, r, bound);
			if (!passes(result, r, bound)) {
				if (!options.flag("refine") || best == null) {
					return best;
				}
				double middle = Math.sqrt(passed * r);
				Result refined = measured(step, middle, bound);
				return passes(refined, middle, bound) ? refined : best;
			}
			passed = r;
			best = result;
		}
		return best;
	}

	interface Step {

		Result run(double rate) throws InterruptedException;

	}

	/**
	 * Runs a step and emits it; a near miss is run again at the same rate, up to {@code --retries}
	 * times (default 1), before it counts as failed: on one core a single collection or JIT burst
	 * inside a 6 s window can set its p99, and should not end the ramp. A clear overload (loss,
	 * refusals, or a p99 over twice the bound) is not retried.
	 */
	private Result measured(Step step, double rate, double bound) throws Exception {
		Result result = step.run(rate);
		emit(result);
		for (int retry = 0; retry < options.integer("retries", 1) && nearMiss(result, rate, bound); retry++) {
			result = step.run(rate);
			emit(result);
		}
		return result;
	}

	private static boolean nearMiss(Result step, double rate, double bound) {
		return !passes(step, rate, bound) && step.number("p99_ms") <= 2 * bound && step.number("lost") == 0
				&& step.number("errors") == 0 && step.number("acked_per_s") >= 0.97 * rate;
	}

	private static boolean passes(Result step, double rate, double bound) {
		return step.number("p99_ms") <= bound && step.number("lost") == 0 && step.number("acked_per_s") >= 0.97 * rate;
	}

	/** Fanout while connections keep dropping and coming back (resuming with since). */
	void churn() throws Exception {
		int members = options.integer("members", 1000);
		double rate = options.decimal("rate", 20);
		double churnPerSecond = options.decimal("churn", 50);
		String room = options.string("room", "lobby");
		Group group = group("churn", members, i -> room);
		try (group) {
			List<Sender> senders = senders(group, rate);
			AtomicBoolean running = new AtomicBoolean(true);
			long[] reconnects = new long[1];
			Thread churner = new Thread(() -> {
				long period = (long) (1e9 / churnPerSecond);
				int sendersCount = senders.size();
				while (running.get()) {
					int i = sendersCount + ThreadLocalRandom.current().nextInt(group.conns.size() - sendersCount);
					try {
						group.conns.get(i).close();
						group.conns.set(i, group.connectOne(i, null));
						reconnects[0]++;
					}
					catch (Exception ex) {
						group.traffic.stats.errors.increment();
					}
					LockSupport.parkNanos(period);
				}
			}, "churner");
			churner.start();
			Result result = run(group, "churn", rate, senders, members);
			running.set(false);
			churner.join();
			emit(result.put("reconnects", reconnects[0]).put("churn_per_s", churnPerSecond));
		}
	}

	/** The fan-out ramp, then its highest passing step again as {@code fanout-max}. */
	private void findMax(Group group, double startRate) throws Exception {
		Result best = raise(at -> run(group, "fanout-step", at, senders(group, at), group.conns.size()), startRate,
				1.3);
		Result max = base("fanout-max").put("members", group.conns.size())
			.put("p99_bound_ms", options.decimal("p99-bound-ms", 100));
		if (best != null) {
			best.values.forEach((k, v) -> {
				if (!k.equals("scenario") && !k.equals("label")) {
					max.values.putIfAbsent(k, v);
				}
			});
		}
		emit(max);
	}

	/** Sends at {@code rate} for warm-up plus the window, then waits for stragglers and reads the stats. */
	private Result run(Group group, String scenario, double rate, List<Sender> senders, int fanout)
			throws InterruptedException {
		Duration warmup = options.duration("warmup", Duration.ofSeconds(3));
		Duration window = options.duration("duration", Duration.ofSeconds(10));
		Stats stats = group.traffic.stats;
		long forks = redisForks.count();
		String startedAt = LocalTime.now().format(CLOCK);
		long start = System.nanoTime();
		long windowStart = start + warmup.toNanos();
		long windowEnd = windowStart + window.toNanos();
		stats.open(windowStart, windowEnd);
		long inWindow = send(rate, senders, start, windowStart, windowEnd);
		drain(stats, fanout);
		long forksAfter = redisForks.count();
		String forked = forks < 0 || forksAfter < 0 ? "" : Long.toString(forksAfter - forks);
		Histogram latency = stats.latencies();
		double seconds = window.toNanos() / 1e9;
		long acked = stats.acked.sum();
		long expected = acked * fanout;
		long delivered = stats.delivered.sum();
		return base(scenario).put("started", startedAt)
			.put("connections", group.conns.size())
			.put("fanout", fanout)
			.put("senders", senders.size())
			.put("offered_per_s", rate)
			.put("sent", inWindow)
			.put("acked_per_s", acked / seconds)
			.put("delivered_per_s", delivered / seconds)
			.put("expected", expected)
			.put("delivered", delivered)
			.put("lost", Math.max(0, expected - delivered))
			.put("errors", stats.errors.sum())
			.put("rate_limited", stats.rateLimited.sum())
			.put("dropped", stats.dropped.sum())
			.put("p50_ms", ms(latency.getValueAtPercentile(50)))
			.put("p90_ms", ms(latency.getValueAtPercentile(90)))
			.put("p99_ms", ms(latency.getValueAtPercentile(99)))
			.put("p999_ms", ms(latency.getValueAtPercentile(99.9)))
			.put("max_ms", ms(latency.getMaxValue()))
			.put("rss_kib", probe.rssKib())
			.put("redis_forks", forked);
	}

	/** Sends at {@code rate} from {@code start} until {@code end}; returns how many were sent from {@code windowStart}. */
	private static long send(double rate, List<Sender> senders, long start, long windowStart, long end) {
		long sent = 0;
		long inWindow = 0;
		int next = 0;
		long now;
		while ((now = System.nanoTime()) < end) {
			long due = (long) ((now - start) / 1e9 * rate);
			while (sent < due) {
				long t = System.nanoTime();
				senders.get(next).send(t);
				next = (next + 1) % senders.size();
				sent++;
				if (t >= windowStart) {
					inWindow++;
				}
			}
			LockSupport.parkNanos(200_000);
		}
		return inWindow;
	}

	/**
	 * With {@code --prime D}: traffic at the first step's rate for D before anything is measured,
	 * so that the server's JIT has compiled the message path (on one core, compiling competes with
	 * serving for minutes after start).
	 */
	private void prime(Group group, double rate, List<Sender> senders) throws InterruptedException {
		Duration prime = options.duration("prime", Duration.ZERO);
		if (prime.isZero()) {
			return;
		}
		group.traffic.stats.open(Long.MAX_VALUE - 1, Long.MAX_VALUE);
		long start = System.nanoTime();
		send(rate, senders, start, Long.MAX_VALUE, start + prime.toNanos());
		Thread.sleep(2000);
	}

	/** Waits until deliveries stop growing (or all expected arrived), at most 10 s. */
	private static void drain(Stats stats, int fanout) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		long last = -1;
		while (System.nanoTime() < deadline) {
			long delivered = stats.delivered.sum();
			if (delivered >= stats.acked.sum() * fanout || delivered == last) {
				Thread.sleep(500);
				if (stats.delivered.sum() == delivered) {
					return;
				}
			}
			last = delivered;
			Thread.sleep(500);
		}
	}

	private static double ms(long nanos) {
		return nanos / 1e6;
	}

	interface Message {

		String at(int sender, long now);

	}

	record Sender(Loader.Conn conn, int index, Message message) {

		void send(long now) {
			conn.send(message.at(index, now));
		}

	}

	/** Few senders, each within the server's per-connection rate limit (15 a second each at most). */
	private List<Sender> senders(Group group, double rate) {
		int count = Math.min(group.conns.size(), Math.max(options.integer("senders", 10), (int) Math.ceil(rate / 15)));
		List<Sender> senders = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			senders.add(new Sender(group.conns.get(i), i, (s, now) -> group.traffic.roomMessage(group.rooms[s], now)));
		}
		return senders;
	}

	private static List<Sender> allSenders(Group group, Message message) {
		List<Sender> senders = new ArrayList<>(group.conns.size());
		for (int i = 0; i < group.conns.size(); i++) {
			senders.add(new Sender(group.conns.get(i), i, message));
		}
		return senders;
	}

	interface RoomOf {

		String room(int index);

	}

	/** N connected accounts, each joined to its room (or to none), spread over the base URLs. */
	private Group group(String prefix, int n, RoomOf roomOf) throws Exception {
		List<Accounts.Account> accounts = Accounts.guests(baseUrls.get(0), prefix, n);
		Group group = new Group(accounts, new Traffic(new Stats(), options.integer("payload", 32)), roomOf);
		long t0 = System.nanoTime();
		List<CompletableFuture<Loader.Conn>> pending = new ArrayList<>(n);
		Semaphore joining = new Semaphore(options.integer("connect-concurrency", 32));
		for (int i = 0; i < n; i++) {
			joining.acquire();
			CompletableFuture<Loader.Conn> conn = group.connectAsync(i, null);
			conn.whenComplete((c, e) -> joining.release());
			pending.add(conn);
		}
		for (CompletableFuture<Loader.Conn> future : pending) {
			group.conns.add(future.get(120, TimeUnit.SECONDS));
		}
		System.out.printf("connected %d in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
		return group;
	}

	private final class Group implements AutoCloseable {

		final List<Accounts.Account> accounts;

		final Traffic traffic;

		final String[] rooms;

		final List<Loader.Conn> conns = new ArrayList<>();

		/** Each account's peer, by index: what its connection has heard (welcome, joined). */
		final List<Traffic.Peer> peers;

		final List<Loader> loaders = new ArrayList<>();

		Group(List<Accounts.Account> accounts, Traffic traffic, RoomOf roomOf) {
			this.accounts = accounts;
			this.traffic = traffic;
			this.rooms = new String[accounts.size()];
			this.peers = new ArrayList<>(Collections.nCopies(accounts.size(), (Traffic.Peer) null));
			for (int i = 0; i < rooms.length; i++) {
				rooms[i] = roomOf.room(i);
			}
			for (String url : baseUrls) {
				loaders.add(newLoader(url));
			}
		}

		Loader.Conn connectOne(int i, String since) throws Exception {
			return connectAsync(i, since).get(60, TimeUnit.SECONDS);
		}

		/** Connected, welcomed and joined to its room. */
		CompletableFuture<Loader.Conn> connectAsync(int i, String since) throws InterruptedException {
			Loader loader = loaders.get(i % loaders.size());
			Traffic.Peer peer = new Traffic.Peer(accounts.get(i).token());
			synchronized (peers) {
				peers.set(i, peer);
			}
			return loader.connect(peer.token, traffic, peer).thenCompose(conn -> {
				if (rooms[i] == null) {
					return peer.welcomed.thenApply(ignored -> conn);
				}
				return peer.welcomed.thenCompose(ignored -> {
					peer.joinSent = true;
					conn.send(Traffic.join(rooms[i], since));
					return peer.joined;
				}).thenApply(ignored -> conn);
			});
		}

		@Override
		public void close() {
			conns.forEach(Loader.Conn::close);
			loaders.forEach(Loader::close);
		}

	}

	private List<Loader.Conn> connectAll(Loader loader, Traffic traffic, List<Accounts.Account> accounts)
			throws Exception {
		List<CompletableFuture<Loader.Conn>> pending = new ArrayList<>(accounts.size());
		for (Accounts.Account account : accounts) {
			Traffic.Peer peer = new Traffic.Peer(account.token());
			pending.add(loader.connect(account.token(), traffic, peer).thenCompose(conn -> peer.welcomed.thenApply(ignored -> conn)));
		}
		List<Loader.Conn> conns = new ArrayList<>(accounts.size());
		for (CompletableFuture<Loader.Conn> future : pending) {
			conns.add(future.get(120, TimeUnit.SECONDS));
		}
		return conns;
	}

	private Loader loader() {
		return newLoader(baseUrls.get(0), options.integer("handshake-concurrency", HANDSHAKES_IN_FLIGHT));
	}

	private Loader newLoader(String baseUrl) {
		return newLoader(baseUrl, HANDSHAKES_IN_FLIGHT);
	}

	private Loader newLoader(String baseUrl, int handshakesInFlight) {
		URI ws = URI.create(baseUrl.replaceFirst("^http", "ws") + "/ws");
		return new Loader(ws, options.integer("threads", 1), options.integer("sources", 8), handshakesInFlight);
	}

	private Result base(String scenario) {
		return new Result().put("scenario", scenario).put("label", label);
	}

	private void point(String scenario, int connections, long rss, long heap) throws Exception {
		Result point = base(scenario).put("connections", connections).put("rss_kib", rss).put("heap_kib", heap);
		emit(point);
	}

	private void emit(Result result) throws Exception {
		System.out.println(result);
		result.appendTo(results);
	}

}
