package dev.parley.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenClaimTest {

	@Test
	void theClaimIsTheBase64urlOfTheUserIdBeforeTheFirstDot() {
		assertThat(TokenService.claimedUser("Ym9i.c2VjcmV0")).contains("bob");
		assertThat(TokenService.claimedUser("Z3Vlc3QtNDI.a.b")).contains("guest-42");
	}

	@Test
	void aTokenWithoutAClaimOrWithABrokenOneClaimsNobody() {
		assertThat(TokenService.claimedUser("bm90LWEtY2xhaW0")).isEmpty();
		assertThat(TokenService.claimedUser(".c2VjcmV0")).isEmpty();
		assertThat(TokenService.claimedUser("not base64!.c2VjcmV0")).isEmpty();
		assertThat(TokenService.claimedUser(null)).isEmpty();
		assertThat(TokenService.claimedUser("Ym9i." + "x".repeat(300))).isEmpty();
	}

}
