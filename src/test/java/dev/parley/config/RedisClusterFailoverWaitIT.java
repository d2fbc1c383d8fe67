package dev.parley.config;

import dev.parley.support.RedisCluster;
import dev.parley.support.TwoInstances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RedisClusterFailoverIT}'s failover, where each store batch waits for a replica before its
 * messages are acked. The promoted replica has none until the dead master comes back as one, and
 * refuses messages meanwhile, as Redis's own {@code min-replicas-to-write} would.
 */
class RedisClusterFailoverWaitIT {

	@RegisterExtension
	static final TwoInstances instances = TwoInstances.on(RedisCluster::new, "parley.history.max-per-room=100000",
			"parley.store.replicas=1");

	@Test
	void noAckedMessageIsLostWhenTheMasterDies() {
		assertThat(RedisClusterFailoverIT.failOverDuringChat(instances, "wait-1", true)).isEmpty();
	}

}
