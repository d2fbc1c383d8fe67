package dev.parley.security;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.parley.config.ParleyProperties;
import dev.parley.config.RedisKeys;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.web.authentication.rememberme.PersistentRememberMeToken;
import org.springframework.security.web.authentication.rememberme.PersistentTokenRepository;
import org.springframework.stereotype.Component;

/**
 * Remember-me series in Redis. The browser keeps only a random series and token (never a
 * password); this is what lets a guest come back as the same guest.
 */
@Component
public class RedisRememberMeTokenRepository implements PersistentTokenRepository {

	private final StringRedisTemplate redis;

	private final Duration ttl;

	public RedisRememberMeTokenRepository(StringRedisTemplate redis, ParleyProperties properties) {
		this.redis = redis;
		this.ttl = properties.auth().rememberMe();
	}

	@Override
	public void createNewToken(PersistentRememberMeToken token) {
		String key = RedisKeys.rememberMe(token.getSeries());
		redis.opsForHash()
			.putAll(key, Map.of("username", token.getUsername(), "token", token.getTokenValue(), "lastUsed",
					Long.toString(token.getDate().getTime())));
		redis.expire(key, ttl);
		redis.opsForSet().add(RedisKeys.userRememberMe(token.getUsername()), token.getSeries());
		redis.expire(RedisKeys.userRememberMe(token.getUsername()), ttl);
	}

	@Override
	public void updateToken(String series, String tokenValue, Date lastUsed) {
		String key = RedisKeys.rememberMe(series);
		if (Boolean.TRUE.equals(redis.hasKey(key))) {
			redis.opsForHash()
				.putAll(key, Map.of("token", tokenValue, "lastUsed", Long.toString(lastUsed.getTime())));
			redis.expire(key, ttl);
		}
	}

	@Override
	public PersistentRememberMeToken getTokenForSeries(String seriesId) {
		List<Object> values = redis.opsForHash()
			.multiGet(RedisKeys.rememberMe(seriesId), List.of("username", "token", "lastUsed"));
		if (values.get(0) == null || values.get(1) == null || values.get(2) == null) {
			return null;
		}
		return new PersistentRememberMeToken((String) values.get(0), seriesId, (String) values.get(1),
				new Date(Long.parseLong((String) values.get(2))));
	}

	@Override
	public void removeUserTokens(String username) {
		String setKey = RedisKeys.userRememberMe(username);
		Set<String> series = redis.opsForSet().members(setKey);
		if (series != null) {
			series.forEach(s -> redis.delete(RedisKeys.rememberMe(s)));
		}
		redis.delete(setKey);
	}

}
