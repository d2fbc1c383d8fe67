package dev.parley.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading Redis's fork count from its INFO reply. */
class RedisForksTest {

	@Test
	void theForkCountIsReadFromInfoStats() {
		String info = "$120\r\n# Stats\r\ntotal_connections_received:12\r\ntotal_commands_processed:4096\r\n"
				+ "total_forks:3\r\ntotal_forks_usec:1500\r\n";

		assertThat(RedisForks.parse(info)).isEqualTo(3);
	}

	@Test
	void noRedisToAskAnswersMinusOne() {
		assertThat(new RedisForks(0).count()).isEqualTo(-1);
		assertThat(RedisForks.parse("-ERR unknown command")).isEqualTo(-1);
	}

}
