package dev.parley.files;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.NoSuchFileException;

import dev.parley.config.ParleyProperties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Files in an S3-compatible bucket (AWS S3, MinIO, S3Proxy...), one object per key. The bucket is
 * created at start when it does not exist. Credentials come from the settings, or from the AWS
 * SDK's usual chain (environment, profile, instance role) when none is set.
 */
final class S3FileStorage implements FileStorage, AutoCloseable {

	private final S3Client s3;

	private final String bucket;

	S3FileStorage(ParleyProperties.Files.S3 settings) {
		S3ClientBuilder builder = S3Client.builder()
			.httpClient(UrlConnectionHttpClient.create())
			.region(Region.of(settings.region()))
			.forcePathStyle(settings.pathStyle())
			// checksums only where S3 requires them: other S3-compatible servers reject the SDK's newer trailing ones
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
		if (!settings.endpoint().isBlank()) {
			builder.endpointOverride(URI.create(settings.endpoint()));
		}
		builder.credentialsProvider(settings.accessKey().isBlank() ? DefaultCredentialsProvider.builder().build()
				: StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())));
		this.s3 = builder.build();
		this.bucket = settings.bucket();
		createBucketIfAbsent();
	}

	private void createBucketIfAbsent() {
		try {
			s3.headBucket(request -> request.bucket(bucket));
		}
		catch (NoSuchBucketException ex) {
			s3.createBucket(request -> request.bucket(bucket));
		}
	}

	@Override
	public void put(String key, byte[] content, String type) throws IOException {
		try {
			s3.putObject(request -> request.bucket(bucket).key(key).contentType(type), RequestBody.fromBytes(content));
		}
		catch (SdkException ex) {
			throw new IOException("S3 refused to store " + key + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public InputStream open(String key) throws IOException {
		try {
			return s3.getObject(request -> request.bucket(bucket).key(key));
		}
		catch (NoSuchKeyException ex) {
			throw new NoSuchFileException(key);
		}
		catch (SdkException ex) {
			throw new IOException("S3 could not read " + key + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public void delete(String key) throws IOException {
		try {
			s3.deleteObject(request -> request.bucket(bucket).key(key));
		}
		catch (SdkException ex) {
			throw new IOException("S3 could not delete " + key + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public void close() {
		s3.close();
	}

}
