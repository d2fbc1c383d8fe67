package dev.parley.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;

/**
 * The whole app on a random port with its own real Redis (the embedded server, in a fresh
 * directory), shared by every test class with the same properties. Tests autowire a
 * {@link ParleyHttp} for it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ParleyHttpConfiguration.class)
public @interface ParleyIntegrationTest {

	@AliasFor(annotation = SpringBootTest.class, attribute = "properties")
	String[] properties() default { "parley.embedded-redis.dir=target/test-redis/${random.uuid}" };

}
