package dev.parley.delivery;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Immutable sets replaced on each change, for what changes seldom and is held per connection or per
 * user: a fraction of a concurrent set's memory, and readers iterate a snapshot.
 */
final class CopyOnWriteSets {

	private CopyOnWriteSets() {
	}

	static <T> Set<T> with(Set<T> set, Collection<T> more) {
		Set<T> all = new HashSet<>(set);
		all.addAll(more);
		return Set.copyOf(all);
	}

	static <T> Set<T> without(Set<T> set, T element) {
		Set<T> fewer = new HashSet<>(set);
		fewer.remove(element);
		return Set.copyOf(fewer);
	}

}
