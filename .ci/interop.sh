#!/usr/bin/env bash
# Interop test with the tools a device maker uses: openssl creates a CA and a device
# certificate, curl registers the certificate signature, and mosquitto_pub and
# mosquitto_sub connect to the broker over TLS with that certificate.
#
# The service runs as 'dotnet run --project src/Cloud' on a temporary data directory and
# on free ports on 127.0.0.1, so it never touches data/ or a service already running.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/cloud-interop.XXXXXX")
data="$work/data"
device="$work/device"
service_log="$work/service.log"
service_pgid=""
subscriber_pid=""
passed=0

# Passphrase of client.p12 and of the key inside client.pem. Test-only, never a real secret.
p12_password="device-secret"

# Timeout of one mosquitto_pub or mosquitto_sub run, in seconds, so that a stuck client fails
# the test instead of hanging CI.
client_timeout=60

step() {
    printf '\n== %s\n' "$*"
}

pass() {
    passed=$((passed + 1))
    printf 'ok: %s\n' "$*"
}

fail() {
    printf 'FAIL: %s\n' "$*" >&2
    exit 1
}

service_running() {
    [[ -n $service_pgid ]] && kill -0 -- "-$service_pgid" 2>/dev/null
}

# Stops the process group of the service (dotnet run and the Cloud process it starts),
# prints the service log when the test failed, and removes the temporary directory.
cleanup() {
    local status=$?
    trap - EXIT

    if [[ -n $subscriber_pid ]] && kill -0 "$subscriber_pid" 2>/dev/null; then
        kill "$subscriber_pid" 2>/dev/null || true
    fi

    if service_running; then
        kill -TERM -- "-$service_pgid" 2>/dev/null || true
        for _ in $(seq 1 30); do
            service_running || break
            sleep 1
        done
        if service_running; then
            echo "The service did not stop within 30 s of SIGTERM; sending SIGKILL to process group $service_pgid." >&2
            kill -KILL -- "-$service_pgid" 2>/dev/null || true
        fi
    fi

    if ((status != 0)); then
        printf '\n== Service log (%s)\n' "$service_log" >&2
        cat "$service_log" >&2 2>/dev/null || echo "(no service log was written)" >&2
        printf '\ninterop: %d passed, 1 failed\n' "$passed" >&2
    fi

    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Prints two distinct free TCP ports on 127.0.0.1. Both sockets stay open until both ports
# are chosen, so the OS cannot return the same port twice.
free_ports() {
    python3 - <<'EOF'
import socket

sockets = [socket.socket(), socket.socket()]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))
for s in sockets:
    s.close()
EOF
}

# Runs mosquitto_pub with the broker's CA, the given client options and the rest of the
# arguments. Its exit code is left in $client_status and its stderr in $work/client.err.
publish() {
    client_status=0
    timeout "$client_timeout" mosquitto_pub --cafile "$data/tls/dev-ca.crt" -h 127.0.0.1 -p "$mqtt_port" "$@" \
        2>"$work/client.err" || client_status=$?
}

# Checks that the publishing device's message reaches a subscriber with the same certificate.
# The subscriber may not have subscribed yet when the first message is sent, so the device
# publishes once a second until the subscriber has received a message and exited.
check_round_trip() {
    local version=$1
    local payload="{\"temperature\":21.5,\"protocol\":\"$version\"}"
    local received="$work/received-$version.txt"

    timeout "$client_timeout" mosquitto_sub --cafile "$data/tls/dev-ca.crt" -h 127.0.0.1 -p "$mqtt_port" \
        --cert "$device/client.pem" --key "$device/client.key" -i sensor-0001-monitor -V "$version" \
        -t 'things/sensor-0001/#' -C 1 -W 20 >"$received" 2>"$work/subscriber.err" &
    subscriber_pid=$!

    for _ in $(seq 1 15); do
        publish --cert "$device/client.pem" --key "$device/client.key" -i sensor-0001 -V "$version" \
            -t things/sensor-0001/telemetry -m "$payload"
        ((client_status == 0)) || fail "mosquitto_pub -V $version exited with $client_status: $(cat "$work/client.err")"
        kill -0 "$subscriber_pid" 2>/dev/null || break
        sleep 1
    done

    local subscriber_status=0
    wait "$subscriber_pid" || subscriber_status=$?
    subscriber_pid=""
    ((subscriber_status == 0)) ||
        fail "mosquitto_sub -V $version exited with $subscriber_status: $(cat "$work/subscriber.err")"
    [[ $(cat "$received") == "$payload" ]] ||
        fail "mosquitto_sub -V $version received '$(cat "$received")', expected '$payload'."
    pass "mosquitto_sub -V $version received the device's message: $payload"
}

# Checks that mosquitto_pub on protocol version $1 with certificate $3 and key $4 is rejected
# at CONNECT with exit code $2 and an MQTT "not authorized" message.
check_not_authorized() {
    local version=$1 expected_status=$2 certificate=$3 key=$4

    publish --cert "$certificate" --key "$key" -i sensor-0002 -V "$version" -t things/sensor-0002/telemetry -m rejected
    ((client_status == expected_status)) ||
        fail "mosquitto_pub -V $version with the unregistered certificate exited with $client_status, expected $expected_status: $(cat "$work/client.err")"
    # mosquitto_pub 2.0.11 prints "not authorised" for the MQTT 3.1.1 return code 5 and
    # "Not authorized" for the MQTT 5 reason code 0x87.
    grep -Eqi 'not authori[sz]ed' "$work/client.err" ||
        fail "mosquitto_pub -V $version stderr does not contain 'not authorised': $(cat "$work/client.err")"
    pass "unregistered certificate rejected on -V $version: exit $client_status, $(head -n 1 "$work/client.err")"
}

for tool in dotnet openssl curl mosquitto_pub mosquitto_sub python3 timeout; do
    command -v "$tool" >/dev/null || fail "$tool is not installed; .ci/run installs the test tools with apt-get."
done

step "Start the service: dotnet run --project src/Cloud on a temporary data directory"
read -r http_port mqtt_port < <(free_ports)
[[ -n ${mqtt_port:-} ]] || fail "No free ports were found on 127.0.0.1."
api="http://127.0.0.1:$http_port"
echo "data directory $data, HTTP $api, MQTT over TLS 127.0.0.1:$mqtt_port"
cd "$repo_root"
# setsid puts dotnet run and the Cloud process it starts into a new process group, so that
# cleanup stops both. The inner shell writes its PID, which is the group id, before exec.
DataDirectory="$data" Urls="$api" Broker__Port="$mqtt_port" \
    setsid -f bash -c 'echo $$ > "$1"; exec dotnet run --project src/Cloud' service "$work/service.pid" \
    >"$service_log" 2>&1 </dev/null
for _ in $(seq 1 50); do
    [[ -s $work/service.pid ]] && break
    sleep 0.1
done
[[ -s $work/service.pid ]] || fail "The service did not start: no PID was written."
service_pgid=$(cat "$work/service.pid")
echo "service process group $service_pgid"

step "Wait for GET /health (dotnet run builds first, so allow up to 300 s)"
healthy=false
for _ in $(seq 1 300); do
    service_running || fail "The service exited before it became healthy."
    if [[ $(curl -s --max-time 2 "$api/health" || true) == Healthy ]]; then
        healthy=true
        break
    fi
    sleep 1
done
$healthy || fail "GET $api/health did not return Healthy within 300 s."
[[ -s $data/tls/dev-ca.crt ]] || fail "The service did not create the development CA $data/tls/dev-ca.crt."
pass "service is healthy and created the development CA $data/tls/dev-ca.crt"

step "Create the device CA and client certificate with openssl"
mkdir -p "$device"
cd "$device"
openssl genrsa -out ca.key 4096 2>/dev/null
openssl req -new -x509 -days 365 -key ca.key -out ca.crt -subj "/C=US/O=Example Devices/CN=Example Devices Root CA"
openssl genrsa -out client.key 4096 2>/dev/null
openssl req -new -key client.key -out client.csr -subj "/C=US/O=Example Devices/CN=sensor-0001"
openssl x509 -req -days 365 -in client.csr -CA ca.crt -CAkey ca.key -set_serial 01 -out client.crt 2>/dev/null
openssl pkcs12 -export -clcerts -in client.crt -inkey client.key -out client.p12 -passout "pass:$p12_password" 2>/dev/null
openssl pkcs12 -in client.p12 -out client.pem -clcerts -passin "pass:$p12_password" -passout "pass:$p12_password"
openssl x509 -in client.crt -noout -text | grep -q 'Version: 1 (0x0)' ||
    fail "openssl x509 -req did not make an X.509 v1 certificate."
grep -q '^Bag Attributes' client.pem || fail "client.pem has no 'Bag Attributes' lines."
grep -q 'BEGIN ENCRYPTED PRIVATE KEY' client.pem || fail "client.pem has no encrypted private key."
pass "client.crt is an X.509 v1 certificate, and client.pem contains Bag Attributes and an encrypted key"

step "Read the signature from 'openssl x509 -in client.pem -text -noout'"
# OpenSSL 3 prints the signature last: a 'Signature Value:' line, then indented hex lines.
signature=$(openssl x509 -in client.pem -text -noout | sed -n '/Signature Value:/,$p' | sed 1d | tr -d ' \n')
[[ $signature =~ ^[0-9a-f]{2}(:[0-9a-f]{2})+$ ]] ||
    fail "No hex signature after 'Signature Value:' in the openssl output: '$signature'."
echo "signature ${signature:0:47}... (${#signature} characters)"
pass "read a $(((${#signature} + 1) / 3))-byte signature"

step "Register thing definition sensor_v1 with the signature as its tlssignature default"
python3 - "$signature" >"$work/sensor_v1.json" <<'EOF'
import json
import sys

print(json.dumps({
    "key": "sensor_v1",
    "name": "Sensor v1",
    "description": "Temperature sensor, first hardware revision",
    "attributes": {"tlssignature": {"name": "TLS signature", "default": sys.argv[1]}},
}))
EOF
status=$(curl -sS -o "$work/created.json" -w '%{http_code}' -X POST "$api/api/thing-defs" \
    -H 'Content-Type: application/json' --data-binary @"$work/sensor_v1.json")
[[ $status == 201 ]] || fail "POST /api/thing-defs returned $status, expected 201: $(cat "$work/created.json")"
stored=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["attributes"]["tlssignature"]["default"])' <"$work/created.json")
[[ $stored == "$signature" ]] || fail "The stored tlssignature '$stored' differs from the openssl signature."
pass "POST /api/thing-defs returned 201 and stored the signature"

step "Inspect client.crt with POST /api/certificates/inspect"
# NOTE: the endpoint returns 415 for PEM sent as application/x-pem-file, text/plain or
# application/json, so the certificate is sent as DER with application/pkix-cert (RFC 2585).
openssl x509 -in client.crt -outform der -out client.der
status=$(curl -sS -o "$work/inspected.json" -w '%{http_code}' -X POST "$api/api/certificates/inspect" \
    -H 'Content-Type: application/pkix-cert' --data-binary @client.der)
[[ $status == 200 ]] || fail "POST /api/certificates/inspect returned $status, expected 200: $(cat "$work/inspected.json")"
inspected=$(python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["signature"], d["thingDefinition"])' <"$work/inspected.json")
[[ $inspected == "$signature sensor_v1" ]] ||
    fail "The inspect endpoint returned '$inspected', expected the openssl signature and sensor_v1."
pass "the inspect endpoint returned the same canonical signature and thing definition sensor_v1"

step "Publish as sensor-0001 with mosquitto_pub on MQTT 3.1.1 and MQTT 5"
for version in mqttv311 mqttv5; do
    publish --cert client.pem --key client.key -i sensor-0001 -V "$version" \
        -t things/sensor-0001/telemetry -m '{"temperature":21.5}'
    ((client_status == 0)) || fail "mosquitto_pub -V $version exited with $client_status: $(cat "$work/client.err")"
    pass "mosquitto_pub -V $version exited 0"
done

step "Receive the device's message with mosquitto_sub and the same certificate"
for version in mqttv311 mqttv5; do
    check_round_trip "$version"
done

step "Reject a second certificate from the same CA with another key, which is not registered"
openssl genrsa -out other.key 4096 2>/dev/null
openssl req -new -key other.key -out other.csr -subj "/C=US/O=Example Devices/CN=sensor-0002"
openssl x509 -req -days 365 -in other.csr -CA ca.crt -CAkey ca.key -set_serial 02 -out other.crt 2>/dev/null
check_not_authorized mqttv311 5 other.crt other.key
check_not_authorized mqttv5 135 other.crt other.key

step "Reject a connection without a client certificate"
for version in mqttv311 mqttv5; do
    publish -i sensor-0003 -V "$version" -t things/sensor-0003/telemetry -m rejected
    ((client_status != 0)) || fail "mosquitto_pub -V $version without --cert exited 0."
    pass "mosquitto_pub -V $version without --cert failed with exit $client_status: $(head -n 1 "$work/client.err")"
done
grep -q 'the client sent no certificate' "$service_log" ||
    fail "The service log does not record a TLS handshake without a client certificate."
pass "the service log records the handshakes without a client certificate"

step "Reject an empty client identifier"
publish --cert client.pem --key client.key -V mqttv311 -t things/sensor-0001/telemetry -m rejected
((client_status == 2)) || fail "mosquitto_pub -V mqttv311 without -i exited with $client_status, expected 2: $(cat "$work/client.err")"
pass "mosquitto_pub -V mqttv311 without -i failed with exit 2: $(head -n 1 "$work/client.err")"

printf '\ninterop: %d passed, 0 failed\n' "$passed"
