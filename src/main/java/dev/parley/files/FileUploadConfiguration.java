package dev.parley.files;

import jakarta.servlet.MultipartConfigElement;

import dev.parley.config.ParleyProperties;

import org.springframework.boot.servlet.MultipartConfigFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * Multipart bodies as large as {@code parley.files.max-size} allows, and a little over, so that a
 * file just past the limit is refused by {@link FileService} with its reason.
 */
@Configuration(proxyBeanMethods = false)
class FileUploadConfiguration {

	/** Room for the multipart envelope around the file, and a file a little past the limit. */
	static final long OVERHEAD = 64 * 1024;

	@Bean
	MultipartConfigElement multipartConfig(ParleyProperties properties) {
		MultipartConfigFactory factory = new MultipartConfigFactory();
		long max = properties.files().maxSize().toBytes();
		factory.setMaxFileSize(DataSize.ofBytes(max + OVERHEAD));
		factory.setMaxRequestSize(DataSize.ofBytes(max + 2 * OVERHEAD));
		factory.setFileSizeThreshold(DataSize.ofBytes(max + 2 * OVERHEAD));
		return factory.createMultipartConfig();
	}

}
