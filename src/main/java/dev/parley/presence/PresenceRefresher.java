package dev.parley.presence;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.chat.PresenceEvents;
import dev.parley.config.ParleyProperties;
import dev.parley.delivery.Client;
import dev.parley.delivery.Hub;
import dev.parley.room.RoomService;
import dev.parley.user.UserService;

import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Keeps this instance's connections alive in Redis, and announces {@code offline} for users whose
 * instance stopped refreshing them (it died): whichever instance drops the entry first announces.
 * <p>
 * Every connection is refreshed once per {@code parley.presence.refresh}, a slice at a time: each
 * tenth of the period refreshes a tenth of the connections. Refreshing all of them at once made
 * Redis run one long burst of scripts every period, and every message queued behind it waited:
 * with 10,000 connections that burst alone set the p99 of message delivery (178 ms against 10 ms
 * without it, at 2,500 messages a second; see {@code bench/notes.md}).
 */
@Component
class PresenceRefresher implements SchedulingConfigurer {

	private static final Logger log = LoggerFactory.getLogger(PresenceRefresher.class);

	private static final int SLICES = 10;

	private static final int SWEEP_BATCH = 500;

	private final PresenceManager presence;

	private final Hub hub;

	private final RoomService rooms;

	private final UserService users;

	private final PresenceEvents presenceEvents;

	private final Duration tick;

	/** The slice the next tick refreshes; ticks run one at a time on the scheduler. */
	private int nextSlice;

	PresenceRefresher(PresenceManager presence, Hub hub, RoomService rooms, UserService users,
			PresenceEvents presenceEvents, ParleyProperties properties) {
		this.presence = presence;
		this.hub = hub;
		this.rooms = rooms;
		this.users = users;
		this.presenceEvents = presenceEvents;
		this.tick = properties.presence().refresh().dividedBy(SLICES);
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(this::refreshSlice, tick);
	}

	void refreshSlice() {
		int slice = nextSlice;
		nextSlice = (slice + 1) % SLICES;
		try {
			presence.refresh(hub.clients().stream()
				.filter(client -> sliceOf(client) == slice)
				.map(client -> new String[] { client.user().id(), client.id() })
				.toList());
			if (slice == 0) {
				sweep();
			}
		}
		catch (DataAccessException ex) {
			log.warn("Presence refresh failed; retrying next period", ex);
		}
	}

	private static int sliceOf(Client client) {
		return Math.floorMod(client.id().hashCode(), SLICES);
	}

	private void sweep() {
		List<String> dropped = presence.expiredUsers(SWEEP_BATCH);
		for (String userId : dropped) {
			users.find(userId).ifPresent(user -> presenceEvents.announce(user, rooms.roomsOf(userId), "offline"));
		}
	}

}
