package dev.parley.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * A master, its replica and three Sentinels watching them (quorum two), all {@code redis-server}
 * processes on loopback ports, reached in the clear or as another {@link RedisAccess} says. A
 * master that stops answering for a second is failed over.
 */
public final class RedisSentinel implements RedisTopology {

	public static final String MASTER_NAME = "parley";

	private final RedisServerProcess master;

	private final RedisServerProcess replica;

	private final RedisAccess access;

	private final List<RedisServerProcess> sentinels = new ArrayList<>();

	public RedisSentinel() {
		this(RedisAccess.open());
	}

	public RedisSentinel(RedisAccess access) {
		this.access = access;
		master = RedisServerProcess.start(RedisServerProcess.newConfig("sentinel-master"), access);
		replica = RedisServerProcess.start(RedisServerProcess.newConfig("sentinel-replica"), access, "--replicaof",
				"127.0.0.1", Integer.toString(master.port()));
		try {
			for (int i = 0; i < 3; i++) {
				List<String> config = new ArrayList<>(List.of(
						"sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 2",
						"sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
						"sentinel failover-timeout " + MASTER_NAME + " 5000"));
				config.addAll(access.sentinelConfig(MASTER_NAME));
				sentinels.add(RedisServerProcess.start(RedisServerProcess.newConfig("sentinel",
						config.toArray(String[]::new)), access, "--sentinel"));
			}
			await().atMost(Duration.ofSeconds(30))
				.until(() -> sentinels.stream()
					.allMatch(sentinel -> sentinel.cli("SENTINEL", "REPLICAS", MASTER_NAME).contains("slave")
							&& sentinel.cli("SENTINEL", "SENTINELS", MASTER_NAME).lines().filter("ip"::equals).count() == 2));
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	@Override
	public List<String> springProperties() {
		List<String> properties = new ArrayList<>(List.of("spring.data.redis.sentinel.master=" + MASTER_NAME,
				"spring.data.redis.sentinel.nodes=" + sentinels.stream()
					.map(sentinel -> "127.0.0.1:" + sentinel.port())
					.collect(Collectors.joining(","))));
		properties.addAll(access.springProperties(true));
		return properties;
	}

	/** The port of the master the Sentinels name now. */
	public int masterPort() {
		String[] address = sentinels.get(0).cli("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME).split("\n");
		return Integer.parseInt(address[1].trim());
	}

	/** The process the Sentinels name as master now. */
	public RedisServerProcess currentMaster() {
		int port = masterPort();
		return master.port() == port ? master : replica;
	}

	/** The process that is not {@link #currentMaster}. */
	public RedisServerProcess currentReplica() {
		return currentMaster() == master ? replica : master;
	}

	@Override
	public void close() {
		sentinels.forEach(RedisServerProcess::close);
		replica.close();
		master.close();
	}

}
