package dev.parley.delivery;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import dev.parley.config.ParleyProperties;
import dev.parley.user.User;
import dev.parley.ws.Handshake;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class ClientRoomsTest {

	private final Client client = new Client("c-1", User.member("ann", "Ann"), new Handshake(null, "127.0.0.1"),
			null, Runnable::run,
			new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate("parley", ParleyProperties.class),
			Closes.UNCOUNTED);

	@Test
	void enteringAndLeavingSayWhetherTheRoomsChanged() {
		client.enterRooms(List.of("lobby", "dev"));

		assertThat(client.enterRoom("lobby")).isFalse();
		assertThat(client.enterRoom("ops")).isTrue();
		assertThat(client.leaveRoom("dev")).isTrue();
		assertThat(client.leaveRoom("dev")).isFalse();
		assertThat(client.rooms()).containsExactlyInAnyOrder("lobby", "ops");
	}

	@Test
	void aSnapshotOfTheRoomsDoesNotChangeWithLaterJoins() {
		client.enterRoom("lobby");
		Set<String> before = client.rooms();

		client.enterRoom("dev");

		assertThat(before).containsExactly("lobby");
		assertThat(client.rooms()).containsExactlyInAnyOrder("lobby", "dev");
	}

	@Test
	void concurrentJoinsAndLeavesLoseNone() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> done = IntStream.range(0, 4).<Future<?>>mapToObj(t -> threads.submit(() -> {
				for (int i = 0; i < 500; i++) {
					client.enterRoom("r" + t + "-" + i);
					client.enterRoom("gone" + t + "-" + i);
					client.leaveRoom("gone" + t + "-" + i);
				}
			})).toList();
			for (Future<?> each : done) {
				each.get();
			}
		}
		finally {
			threads.shutdownNow();
		}

		assertThat(client.rooms()).hasSize(2000).allMatch(room -> room.startsWith("r"));
	}

}
