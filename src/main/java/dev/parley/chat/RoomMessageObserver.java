package dev.parley.chat;

import dev.parley.user.User;

/**
 * Told of every room message this instance stored, once, on the instance that accepted it.
 * Called on the Redis I/O thread: an observer decides at once whether the message concerns it and
 * hands any work, above all anything that waits on Redis, to a thread of its own.
 */
public interface RoomMessageObserver {

	void stored(String room, User from, String text);

}
