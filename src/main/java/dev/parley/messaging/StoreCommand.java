package dev.parley.messaging;

import dev.parley.config.RedisKeys;

/**
 * One step of storing a message, as {@code redis/store-messages.lua} runs it: its kind, its keys
 * (all in one Cluster slot, the first of which places it) and its arguments. A room message is one
 * step in its room's slot; a private message is three, since its conversation, its recipient and
 * its sender each have a slot: the entry is appended first, then the recipient and the sender's
 * other connections are told, with the stored id.
 */
sealed interface StoreCommand {

	String kind();

	String[] keys();

	String[] args();

	/**
	 * A room message by {@code userId}, its frame split around the id that Redis assigns, and the
	 * user ids its text mentions ({@link dev.parley.history.MessageFormat#mentionCandidates}), of which
	 * the members are added to it.
	 */
	record RoomMessage(String slug, String userId, String head, String tail, String mentions) implements StoreCommand {

		@Override
		public String kind() {
			return "r";
		}

		@Override
		public String[] keys() {
			return new String[] { RedisKeys.room(slug), RedisKeys.roomMembers(slug), RedisKeys.roomHistory(slug) };
		}

		@Override
		public String[] args() {
			return new String[] { userId, head, tail, RedisKeys.roomChannel(slug), mentions };
		}

	}

	/**
	 * A whole private message: its entry, its delivery to the recipient and its copy to the sender's
	 * other connections. The reply is the id, after {@link #HERE} when every live connection of the
	 * recipient is on this instance, which then hands it over.
	 */
	record PrivateMessage(String sender, String recipient, String tail, String senderConnection, String head,
			String recipientPrefix, String senderPrefix) implements StoreCommand {

		static final String HERE = "+";

		@Override
		public String kind() {
			return "p";
		}

		@Override
		public String[] keys() {
			return new String[] { RedisKeys.conversationHistory(sender, recipient), RedisKeys.userConnections(recipient),
					RedisKeys.userOffline(recipient), RedisKeys.userConversations(recipient),
					RedisKeys.userConnections(sender), RedisKeys.userConversations(sender) };
		}

		@Override
		public String[] args() {
			return new String[] { tail, senderConnection, head, RedisKeys.userChannel(recipient), recipientPrefix,
					RedisKeys.userChannel(sender), senderPrefix, sender, recipient };
		}

	}

	/** A private message's entry in the conversation of two users, naming the connection it was sent on. */
	record PrivateEntry(String userA, String userB, String tail, String senderConnection) implements StoreCommand {

		@Override
		public String kind() {
			return "a";
		}

		@Override
		public String[] keys() {
			return new String[] { RedisKeys.conversationHistory(userA, userB) };
		}

		@Override
		public String[] args() {
			return new String[] { tail, senderConnection };
		}

	}

	/**
	 * A stored private message to its recipient: queued, published, or left to this instance (the
	 * reply says {@link #HERE}); {@code envelopePrefix} says which of the recipient's connections get it.
	 */
	record PrivateDelivery(String recipient, String sender, String json, long ts, String envelopePrefix)
			implements StoreCommand {

		static final String HERE = "here";

		@Override
		public String kind() {
			return "d";
		}

		@Override
		public String[] keys() {
			return new String[] { RedisKeys.userConnections(recipient), RedisKeys.userOffline(recipient),
					RedisKeys.userConversations(recipient) };
		}

		@Override
		public String[] args() {
			return new String[] { json, RedisKeys.userChannel(recipient), envelopePrefix, sender, Long.toString(ts) };
		}

	}

	/** A stored private message to the sender's other connections, and the sender's list of conversations. */
	record SenderCopy(String sender, String recipient, String json, long ts, String envelopePrefix)
			implements StoreCommand {

		@Override
		public String kind() {
			return "s";
		}

		@Override
		public String[] keys() {
			return new String[] { RedisKeys.userConnections(sender), RedisKeys.userConversations(sender) };
		}

		@Override
		public String[] args() {
			return new String[] { json, RedisKeys.userChannel(sender), envelopePrefix, recipient, Long.toString(ts) };
		}

	}

}
