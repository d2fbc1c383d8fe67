# Build with the Maven wrapper, run as a non-root user on a JRE image.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp -q dependency:go-offline
COPY src src
RUN ./mvnw -B -ntp -q -DskipTests package && cp target/parley-*.jar /src/parley.jar

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /app parley \
  && mkdir -p /data/files && chown parley /data/files
WORKDIR /app
COPY --from=build /src/parley.jar /app/parley.jar
USER parley
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=5 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /readyz HTTP/1.0\r\n\r\n" >&3 && grep -q "\"UP\"" <&3'
ENTRYPOINT ["java", "-jar", "/app/parley.jar"]
