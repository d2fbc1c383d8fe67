package dev.parley.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.awaitility.Awaitility.await;

/**
 * A real Redis Cluster of three masters with a replica each, six {@code redis-server} processes on
 * loopback ports, with a node timeout of two seconds, after which a dead master's replica is
 * promoted. Reached with a password (so the app's credentials are exercised), or as another
 * {@link RedisAccess} says.
 */
public final class RedisCluster implements RedisTopology {

	public static final String PASSWORD = "cluster-secret";

	public static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);

	private final RedisAccess access;

	private final List<RedisServerProcess> nodes = new ArrayList<>();

	public RedisCluster() {
		this(RedisAccess.password(PASSWORD));
	}

	public RedisCluster(RedisAccess access) {
		this.access = access;
		try {
			for (int i = 0; i < 6; i++) {
				List<String> settings = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-node-timeout",
						Long.toString(NODE_TIMEOUT.toMillis()), "--cluster-replica-validity-factor", "0"));
				settings.addAll(access.clusterArguments());
				nodes.add(RedisServerProcess.start(RedisServerProcess.newConfig("cluster-node"), access,
						settings.toArray(String[]::new)));
			}
			List<String> create = new ArrayList<>(List.of(RedisServerProcess.CLI));
			create.addAll(access.cliArguments());
			create.addAll(List.of("--cluster", "create"));
			nodes.forEach(node -> create.add("127.0.0.1:" + node.port()));
			create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
			String created = RedisServerProcess.run(create);
			if (!created.contains("All 16384 slots covered")) {
				throw new IllegalStateException("the cluster was not created: " + created);
			}
			awaitHealthy();
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	/**
	 * Every live node sees the cluster as ok, they all agree on its nodes, roles and slots (a client
	 * that reads the topology from a node still meeting the others would be sent to node ids the
	 * rest do not know), and every live replica has caught up with its master (a replica still
	 * syncing when its master dies would be promoted without its data).
	 */
	public void awaitHealthy() {
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			List<RedisServerProcess> live = nodes.stream().filter(RedisServerProcess::isAlive).toList();
			boolean ok = live.stream()
				.allMatch(node -> node.cli("CLUSTER", "INFO").contains("cluster_state:ok") && synced(node));
			List<Set<String>> views = live.stream().map(RedisCluster::topologySeenBy).toList();
			return ok && views.stream().noneMatch(Objects::isNull) && views.stream().distinct().count() == 1;
		});
	}

	/**
	 * The node ids, roles and slots {@code node} knows, without what only it sees ({@code myself},
	 * failure flags, link state); null while it is still meeting a node.
	 */
	private static Set<String> topologySeenBy(RedisServerProcess node) {
		Set<String> topology = new TreeSet<>();
		for (String line : node.cli("CLUSTER", "NODES").lines().toList()) {
			String[] fields = line.split(" ");
			if (fields.length < 8 || fields[2].contains("handshake") || fields[2].contains("noaddr")) {
				return null;
			}
			String role = fields[2].contains("master") ? "master" : "replica of " + fields[3];
			List<String> slots = Arrays.asList(fields).subList(8, fields.length);
			topology.add(fields[0] + " " + role + " " + String.join(",", slots));
		}
		return topology;
	}

	private static boolean synced(RedisServerProcess node) {
		String replication = node.cli("INFO", "replication");
		return replication.contains("role:master") || replication.contains("master_link_status:up");
	}

	/**
	 * Lettuce refuses commands to a master whose connection is not up yet: until the instance's
	 * commands reach every master, a test's first request could fail for that alone.
	 */
	@Override
	public void awaitReachedBy(ParleyInstance instance) {
		Map<Integer, String> keyPerMaster = new HashMap<>();
		for (int i = 0; keyPerMaster.size() < 3; i++) {
			String key = "parley:reach-test:" + i;
			keyPerMaster.putIfAbsent(masterOf(key).port(), key);
		}
		StringRedisTemplate redis = instance.bean(StringRedisTemplate.class);
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
			.until(() -> keyPerMaster.values().stream().noneMatch(redis::hasKey));
	}

	@Override
	public List<String> springProperties() {
		List<String> properties = new ArrayList<>(List.of("spring.data.redis.cluster.nodes="
				+ nodes.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","))));
		properties.addAll(access.springProperties(false));
		return properties;
	}

	/** The live master that serves {@code key}'s slot now. */
	public RedisServerProcess masterOf(String key) {
		RedisServerProcess any = nodes.stream().filter(RedisServerProcess::isAlive).findFirst().orElseThrow();
		long slot = Long.parseLong(any.cli("CLUSTER", "KEYSLOT", key));
		return nodes.stream()
			.filter(RedisServerProcess::isAlive)
			.filter(node -> servesSlot(node, slot))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no live master serves slot " + slot));
	}

	/** Whether {@code node} is a master whose own line in CLUSTER NODES lists {@code slot}. */
	private static boolean servesSlot(RedisServerProcess node, long slot) {
		Optional<String> self = node.cli("CLUSTER", "NODES").lines()
			.filter(line -> line.contains("myself") && line.contains("master"))
			.findFirst();
		if (self.isEmpty()) {
			return false;
		}
		String[] fields = self.get().split(" ");
		for (int i = 8; i < fields.length; i++) {
			String[] range = fields[i].split("-");
			if (range[0].startsWith("[")) {
				continue;
			}
			long from = Long.parseLong(range[0]);
			long to = range.length > 1 ? Long.parseLong(range[1]) : from;
			if (slot >= from && slot <= to) {
				return true;
			}
		}
		return false;
	}

	/** The live replica of {@code master}. */
	public RedisServerProcess replicaOf(RedisServerProcess master) {
		String masterId = master.cli("CLUSTER", "MYID");
		return nodes.stream()
			.filter(RedisServerProcess::isAlive)
			.filter(node -> node.cli("CLUSTER", "NODES").lines()
				.anyMatch(line -> line.contains("myself") && line.contains("slave") && line.contains(masterId)))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("master " + master.port() + " has no live replica"));
	}

	/** Whether two keys' slots are served by different masters. */
	public boolean onDifferentMasters(String keyA, String keyB) {
		return masterOf(keyA).port() != masterOf(keyB).port();
	}

	@Override
	public void close() {
		nodes.forEach(RedisServerProcess::close);
	}

}
