# One image with every executable of the package; compose.yaml picks the entrypoint per service.
FROM swift:6.1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends librabbitmq-dev libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Shared Shared
COPY Services Services
COPY Tests Tests
RUN swift build -c release --static-swift-stdlib \
 && mkdir /out && cp -R "$(swift build -c release --show-bin-path)"/. /out/ \
 && rm -rf /out/*.build /out/*.swiftmodule /out/*.product /out/Modules

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends librabbitmq4 libpq5 ca-certificates \
 && rm -rf /var/lib/apt/lists/* && useradd --system --home /app utilis
COPY --from=build /out /app
USER utilis
ENV PATH=/app:$PATH
ENTRYPOINT ["/app/utilis"]
