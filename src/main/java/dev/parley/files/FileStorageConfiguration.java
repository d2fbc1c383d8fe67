package dev.parley.files;

import java.io.IOException;

import dev.parley.config.ParleyProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The store {@code parley.files.store} names: a directory ({@code parley.files.dir}) or an S3 bucket. */
@Configuration(proxyBeanMethods = false)
class FileStorageConfiguration {

	@Bean
	FileStorage fileStorage(ParleyProperties properties) throws IOException {
		ParleyProperties.Files files = properties.files();
		return switch (files.store()) {
			case DIRECTORY -> new DirectoryFileStorage(files.dir());
			case S3 -> new S3FileStorage(files.s3());
		};
	}

}
