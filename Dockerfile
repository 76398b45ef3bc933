# dp3q in one image: the dp3q command line and dp3q-worker, built from this checkout with Maven.
# compose.yaml builds and runs it; by hand: docker build -t dp3q:local .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY broker/pom.xml broker/
COPY producer/pom.xml producer/
COPY consumer-worker/pom.xml consumer-worker/
COPY integration-tests/pom.xml integration-tests/
COPY schemas schemas
COPY broker/src broker/src
COPY producer/src producer/src
COPY consumer-worker/src consumer-worker/src
RUN mvn -B -q -pl producer,consumer-worker -am package -DskipTests

FROM eclipse-temurin:17-jre
# util-linux: setpriv, so DP3 subprocesses die with a killed worker; curl and bash: broker/lab/setup-broker.sh
RUN apt-get update \
    && apt-get install -y --no-install-recommends util-linux curl bash \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 dp3q \
    && mkdir -p /var/log/dp3q && chown dp3q /var/log/dp3q
COPY --from=build /src/producer/target/dp3q-all.jar /opt/dp3q/producer/target/
COPY --from=build /src/consumer-worker/target/dp3q-worker-all.jar /opt/dp3q/consumer-worker/target/
COPY bin/dp3q bin/dp3q-worker bin/class-archive.sh /opt/dp3q/bin/
COPY broker/lab /opt/dp3q/broker/lab
COPY broker/policies.json /opt/dp3q/broker/
COPY deploy/compose/setup.sh /opt/dp3q/deploy/compose/
COPY examples/standin/dp3-standin /opt/dp3q/examples/standin/
ENV PATH=/opt/dp3q/bin:$PATH
USER dp3q
WORKDIR /home/dp3q
ENTRYPOINT ["dp3q-worker"]
CMD ["--help"]
