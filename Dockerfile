# Cloud service image: the HTTP API on port 8080 and the MQTT/TLS broker on port 8883.
# The registry database and the development TLS files live in the /data volume.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore in its own layer, so that a source change does not download the packages again.
COPY Directory.Build.props Directory.Packages.props appsettings.json ./
COPY src/Cloud/Cloud.csproj src/Cloud/
COPY src/Cloud.Admission/Cloud.Admission.csproj src/Cloud.Admission/
COPY src/Cloud.Broker/Cloud.Broker.csproj src/Cloud.Broker/
COPY src/Cloud.Registry/Cloud.Registry.csproj src/Cloud.Registry/
COPY migrations/Cloud.Migrations.csproj migrations/
RUN dotnet restore src/Cloud/Cloud.csproj

COPY src/ src/
COPY migrations/ migrations/
RUN dotnet publish src/Cloud/Cloud.csproj --configuration Release --no-restore --output /app /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app

# The image's non-root user 'app' ($APP_UID) must own /data, because the service writes the
# SQLite registry and the development CA there.
RUN mkdir /data && chown "$APP_UID:$APP_UID" /data
VOLUME /data

ENV DataDirectory=/data \
    Urls=http://0.0.0.0:8080 \
    Broker__BindAddress=0.0.0.0

COPY --from=build /app .

USER $APP_UID
EXPOSE 8080 8883

# The image has no curl or wget, so bash sends the request over /dev/tcp.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && grep -q Healthy <&3"]

ENTRYPOINT ["dotnet", "Cloud.dll"]
