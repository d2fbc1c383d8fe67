package dev.parley.room;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A room as the room browser and an invitation show it: what it is about and how many belong to it. */
public record RoomListing(String slug, String name, String topic, @JsonProperty("private") boolean privateRoom,
		long members) {

	public static RoomListing of(Room room, long members) {
		return new RoomListing(room.slug(), room.name(), room.topic(), room.privateRoom(), members);
	}

}
