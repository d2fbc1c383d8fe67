package dev.parley.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * A real Redis Cluster of three masters with a replica each, six {@code redis-server} processes on
 * loopback ports, with a password (so the app's credentials are exercised) and a node timeout of
 * two seconds, after which a dead master's replica is promoted.
 */
public final class RedisCluster implements RedisTopology {

	public static final String PASSWORD = "cluster-secret";

	public static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);

	private final List<RedisServerProcess> nodes = new ArrayList<>();

	public RedisCluster() {
		try {
			for (int i = 0; i < 6; i++) {
				nodes.add(RedisServerProcess.start(RedisServerProcess.newConfig("cluster-node"), "--cluster-enabled",
						"yes", "--cluster-node-timeout", Long.toString(NODE_TIMEOUT.toMillis()), "--requirepass",
						PASSWORD, "--masterauth", PASSWORD, "--cluster-replica-validity-factor", "0"));
			}
			List<String> create = new ArrayList<>(List.of(RedisServerProcess.CLI, "-a", PASSWORD, "--no-auth-warning",
					"--cluster", "create"));
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
	 * Every live node sees the cluster as ok, and every live replica has caught up with its master
	 * (a replica still syncing when its master dies would be promoted without its data).
	 */
	public void awaitHealthy() {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> nodes.stream()
				.filter(RedisServerProcess::isAlive)
				.allMatch(node -> cli(node, "CLUSTER", "INFO").contains("cluster_state:ok") && synced(node)));
	}

	private static boolean synced(RedisServerProcess node) {
		String replication = cli(node, "INFO", "replication");
		return replication.contains("role:master") || replication.contains("master_link_status:up");
	}

	@Override
	public List<String> springProperties() {
		return List.of("spring.data.redis.cluster.nodes=" + nodes.stream()
			.map(node -> "127.0.0.1:" + node.port())
			.collect(Collectors.joining(",")), "spring.data.redis.password=" + PASSWORD);
	}

	/** The live master that serves {@code key}'s slot now. */
	public RedisServerProcess masterOf(String key) {
		RedisServerProcess any = nodes.stream().filter(RedisServerProcess::isAlive).findFirst().orElseThrow();
		long slot = Long.parseLong(cli(any, "CLUSTER", "KEYSLOT", key));
		return nodes.stream()
			.filter(RedisServerProcess::isAlive)
			.filter(node -> servesSlot(node, slot))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no live master serves slot " + slot));
	}

	/** Whether {@code node} is a master whose own line in CLUSTER NODES lists {@code slot}. */
	private static boolean servesSlot(RedisServerProcess node, long slot) {
		Optional<String> self = cli(node, "CLUSTER", "NODES").lines()
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
		String masterId = cli(master, "CLUSTER", "MYID");
		return nodes.stream()
			.filter(RedisServerProcess::isAlive)
			.filter(node -> cli(node, "CLUSTER", "NODES").lines()
				.anyMatch(line -> line.contains("myself") && line.contains("slave") && line.contains(masterId)))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("master " + master.port() + " has no live replica"));
	}

	/** Runs a command on {@code node} with the cluster's password. */
	public static String cli(RedisServerProcess node, String... command) {
		List<String> line = new ArrayList<>(List.of("-a", PASSWORD, "--no-auth-warning"));
		line.addAll(List.of(command));
		return node.cli(line.toArray(String[]::new));
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
