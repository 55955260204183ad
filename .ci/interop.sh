#!/usr/bin/env bash
# Interop test with the tools a device maker uses. openssl creates CAs and device
# certificates, and curl registers them with the admin API key that the service writes to
# its data directory. mosquitto_pub and mosquitto_sub then connect to the broker over TLS
# with those certificates. The test covers a signature pinned on a thing definition, a device signed by
# an intermediate CA under a trusted root (zero-touch registration), topic permissions,
# revocation of a live session and the API key roles.
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
admin_key=""
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

# Sends an API request with the admin key: api METHOD PATH [curl options...]. The status
# code is left in $status and the body in $work/response.json.
api() {
    local method=$1 path=$2
    shift 2
    status=$(curl -sS -o "$work/response.json" -w '%{http_code}' -X "$method" "$api$path" \
        -H "Authorization: Bearer $admin_key" "$@")
}

# Sends an API request as 'api' does, with the headers given instead of the admin key.
api_as() {
    local method=$1 path=$2
    shift 2
    status=$(curl -sS -o "$work/response.json" -w '%{http_code}' -X "$method" "$api$path" "$@")
}

# Prints a field of the JSON response body: json_field KEY [KEY...] walks nested objects.
json_field() {
    python3 - "$work/response.json" "$@" <<'EOF'
import json
import sys

with open(sys.argv[1]) as response:
    value = json.load(response)
for key in sys.argv[2:]:
    value = value[key]
print(json.dumps(value) if isinstance(value, (dict, list, bool)) or value is None else value)
EOF
}

# Prints a JSON object built from KEY=VALUE arguments. A value @FILE is replaced by the file's text.
json_object() {
    python3 - "$@" <<'EOF'
import json
import sys

body = {}
for argument in sys.argv[1:]:
    key, value = argument.split("=", 1)
    body[key] = open(value[1:]).read() if value.startswith("@") else value
print(json.dumps(body))
EOF
}

# Checks that the publishing device's message reaches a subscriber with the same certificate.
# By default a device may use only topics under things/<its client id>/. The two clients
# therefore meet on fleet/sensor_v1/, which the definition grants to all of its devices.
# The subscriber may not have subscribed yet when the first message is sent, so the device
# publishes once a second until the subscriber has received a message and exited.
check_round_trip() {
    local version=$1
    local payload="{\"temperature\":21.5,\"protocol\":\"$version\"}"
    local received="$work/received-$version.txt"

    timeout "$client_timeout" mosquitto_sub --cafile "$data/tls/dev-ca.crt" -h 127.0.0.1 -p "$mqtt_port" \
        --cert "$device/client.pem" --key "$device/client.key" -i sensor-0001-monitor -V "$version" \
        -t 'fleet/sensor_v1/#' -C 1 -W 20 >"$received" 2>"$work/subscriber.err" &
    subscriber_pid=$!

    for _ in $(seq 1 15); do
        publish --cert "$device/client.pem" --key "$device/client.key" -i sensor-0001 -V "$version" \
            -t fleet/sensor_v1/telemetry -m "$payload"
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

# Checks that mosquitto_pub on protocol version $1 with certificate $3, key $4 and client id
# $5 is rejected at CONNECT with exit code $2 and an MQTT "not authorized" message. $6 names
# what is rejected, for the output.
check_not_authorized() {
    local version=$1 expected_status=$2 certificate=$3 key=$4 client_id=$5 what=$6

    publish --cert "$certificate" --key "$key" -i "$client_id" -V "$version" -t "things/$client_id/telemetry" -m rejected
    ((client_status == expected_status)) ||
        fail "mosquitto_pub -V $version with $what exited with $client_status, expected $expected_status: $(cat "$work/client.err")"
    # mosquitto_pub 2.0.11 prints "not authorised" for the MQTT 3.1.1 return code 5 and
    # "Not authorized" for the MQTT 5 reason code 0x87.
    grep -Eqi 'not authori[sz]ed' "$work/client.err" ||
        fail "mosquitto_pub -V $version stderr does not contain 'not authorised': $(cat "$work/client.err")"
    pass "$what rejected on -V $version: exit $client_status, $(head -n 1 "$work/client.err")"
}

for tool in dotnet openssl curl mosquitto_pub mosquitto_sub python3 stdbuf timeout; do
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

step "Read the admin API key that the first start wrote to $data/admin-api-key"
[[ -s $data/admin-api-key ]] || fail "The service did not write the admin API key to $data/admin-api-key."
key_mode=$(stat -c '%a' "$data/admin-api-key")
[[ $key_mode == 600 ]] || fail "$data/admin-api-key has mode $key_mode, expected 600."
admin_key=$(head -n 1 "$data/admin-api-key")
[[ $admin_key == cloud_* ]] || fail "$data/admin-api-key does not contain a key of the form cloud_<id>_<secret>."
grep -qF "$admin_key" "$service_log" || fail "The service did not print the admin API key on standard output."
pass "the admin API key is in $data/admin-api-key with mode 600 and was printed once at start"

step "Require an API key on /api, and leave /health and /swagger open"
api_as GET /api/thing-defs
[[ $status == 401 ]] || fail "GET /api/thing-defs without a key returned $status, expected 401: $(cat "$work/response.json")"
[[ $(json_field title) == "An API key is required." ]] ||
    fail "The 401 response has an unexpected title: $(cat "$work/response.json")"
pass "GET /api/thing-defs without a key returned 401: $(json_field title)"
api_as GET /api/thing-defs -H "Authorization: Bearer cloud_unknown_key"
[[ $status == 401 ]] || fail "GET /api/thing-defs with an invalid key returned $status, expected 401."
pass "GET /api/thing-defs with an invalid key returned 401"
api_as GET /api/thing-defs -H "X-Api-Key: $admin_key"
[[ $status == 200 ]] || fail "GET /api/thing-defs with X-Api-Key returned $status, expected 200: $(cat "$work/response.json")"
pass "GET /api/thing-defs with the admin key in X-Api-Key returned 200"
for path in /health /swagger/index.html /swagger/v1/swagger.json; do
    api_as GET "$path"
    [[ $status == 200 ]] || fail "GET $path without a key returned $status, expected 200."
done
pass "GET /health, /swagger/index.html and /swagger/v1/swagger.json returned 200 without a key"

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
# Besides the default things/${thing.key}/#, the devices of sensor_v1 share fleet/sensor_v1/#,
# where the round trip below meets a second client that uses the same certificate.
python3 - "$signature" >"$work/sensor_v1.json" <<'EOF'
import json
import sys

topics = ["things/${thing.key}/#", "fleet/${thing_def.key}/#"]
print(json.dumps({
    "key": "sensor_v1",
    "name": "Sensor v1",
    "description": "Temperature sensor, first hardware revision",
    "attributes": {"tlssignature": {"name": "TLS signature", "default": sys.argv[1]}},
    "publishTopics": topics,
    "subscribeTopics": topics,
}))
EOF
api POST /api/thing-defs -H 'Content-Type: application/json' --data-binary @"$work/sensor_v1.json"
[[ $status == 201 ]] || fail "POST /api/thing-defs returned $status, expected 201: $(cat "$work/response.json")"
stored=$(json_field attributes tlssignature default)
[[ $stored == "$signature" ]] || fail "The stored tlssignature '$stored' differs from the openssl signature."
pass "POST /api/thing-defs returned 201 and stored the signature"

step "Inspect client.crt with POST /api/certificates/inspect, as DER and as PEM"
openssl x509 -in client.crt -outform der -out client.der
for format in der pem; do
    if [[ $format == der ]]; then
        api POST /api/certificates/inspect -H 'Content-Type: application/pkix-cert' --data-binary @client.der
    else
        api POST /api/certificates/inspect -H 'Content-Type: application/x-pem-file' --data-binary @client.crt
    fi
    [[ $status == 200 ]] || fail "POST /api/certificates/inspect with $format returned $status, expected 200: $(cat "$work/response.json")"
    inspected="$(json_field signature) $(json_field thingDefinition)"
    [[ $inspected == "$signature sensor_v1" ]] ||
        fail "The inspect endpoint returned '$inspected' for $format, expected the openssl signature and sensor_v1."
    pass "the inspect endpoint returned the same canonical signature and thing definition sensor_v1 for $format"
done

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
check_not_authorized mqttv311 5 other.crt other.key sensor-0002 "unregistered certificate"
check_not_authorized mqttv5 135 other.crt other.key sensor-0002 "unregistered certificate"

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

step "Create a root CA, an intermediate CA and a device certificate signed by the intermediate"
mkdir -p "$device/chain"
cd "$device/chain"
cat >ca.ext <<'EOF'
basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EOF
cat >device.ext <<'EOF'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
EOF
openssl genrsa -out root.key 2048 2>/dev/null
openssl req -new -x509 -days 3650 -key root.key -out root.crt -subj "/O=Example Devices/CN=Example Devices Root CA"
openssl genrsa -out intermediate.key 2048 2>/dev/null
openssl req -new -key intermediate.key -out intermediate.csr -subj "/O=Example Devices/CN=Example Devices Intermediate CA"
openssl x509 -req -days 1825 -in intermediate.csr -CA root.crt -CAkey root.key -set_serial 1000 \
    -extfile ca.ext -out intermediate.crt 2>/dev/null
openssl genrsa -out device.key 2048 2>/dev/null
openssl req -new -key device.key -out device.csr -subj "/O=Example Devices/CN=sensor-1001"
openssl x509 -req -days 365 -in device.csr -CA intermediate.crt -CAkey intermediate.key -set_serial 1001 \
    -extfile device.ext -out device.crt 2>/dev/null
cat device.crt intermediate.crt >device-chain.pem
openssl verify -CAfile root.crt -untrusted intermediate.crt device.crt >/dev/null ||
    fail "openssl verify does not accept the chain device.crt -> intermediate.crt -> root.crt."
pass "openssl verify accepts device.crt through intermediate.crt to root.crt"

step "Register the root CA and thing definition sensor_v2, which trusts it"
api POST /api/cas -H 'Content-Type: application/json' \
    --data-binary "$(json_object key=example-root 'name=Example Devices Root CA' certificate=@root.crt)"
[[ $status == 201 ]] || fail "POST /api/cas returned $status, expected 201: $(cat "$work/response.json")"
[[ $(json_field selfSigned) == true ]] || fail "POST /api/cas did not report the root CA as self-signed: $(cat "$work/response.json")"
pass "POST /api/cas registered example-root: $(json_field subject)"
api POST /api/thing-defs -H 'Content-Type: application/json' \
    -d '{"key":"sensor_v2","name":"Sensor v2","trustedCas":["example-root"]}'
[[ $status == 201 ]] || fail "POST /api/thing-defs for sensor_v2 returned $status, expected 201: $(cat "$work/response.json")"
defaults="$(json_field autoRegister) $(json_field nameRule) $(json_field subscribeTopics)"
[[ $defaults == 'true cn ["things/${thing.key}/#"]' ]] ||
    fail "sensor_v2 has autoRegister, nameRule and subscribeTopics '$defaults', expected the defaults."
pass "POST /api/thing-defs created sensor_v2 with trustedCas [example-root] and the defaults: $defaults"

step "Connect sensor-1001 with device-chain.pem, which registers the thing (zero-touch)"
for version in mqttv311 mqttv5; do
    publish --cert device-chain.pem --key device.key -i sensor-1001 -V "$version" \
        -t things/sensor-1001/telemetry -m '{"temperature":19.0}'
    ((client_status == 0)) || fail "mosquitto_pub -V $version with device-chain.pem exited with $client_status: $(cat "$work/client.err")"
    pass "mosquitto_pub -V $version with the device certificate and the intermediate exited 0"
done
api GET /api/things/sensor-1001
[[ $status == 200 ]] || fail "GET /api/things/sensor-1001 returned $status, expected 200: $(cat "$work/response.json")"
registered="$(json_field definition) $(json_field autoRegistered)"
[[ $registered == "sensor_v2 true" ]] || fail "Thing sensor-1001 has definition and autoRegistered '$registered', expected 'sensor_v2 true'."
grep -q 'client sensor-1001 .* rule trusted-issuer' "$service_log" ||
    fail "The service log has no connect of sensor-1001 by rule trusted-issuer."
pass "GET /api/things/sensor-1001 returned the thing of sensor_v2 with autoRegistered true"

step "Reject the device under another client id, and without the intermediate"
check_not_authorized mqttv311 5 device-chain.pem device.key sensor-1099 "client id other than the certificate CN"
check_not_authorized mqttv5 135 device-chain.pem device.key sensor-1099 "client id other than the certificate CN"
check_not_authorized mqttv311 5 device.crt device.key sensor-1001 "leaf certificate without the unregistered intermediate"
check_not_authorized mqttv5 135 device.crt device.key sensor-1001 "leaf certificate without the unregistered intermediate"

step "Deny sensor-1001 the topics of another thing"
for version in mqttv311 mqttv5; do
    client_status=0
    timeout "$client_timeout" mosquitto_sub --cafile "$data/tls/dev-ca.crt" -h 127.0.0.1 -p "$mqtt_port" \
        --cert device-chain.pem --key device.key -i sensor-1001 -V "$version" -t 'things/other-device/#' -W 20 \
        >"$work/client.out" 2>"$work/client.err" || client_status=$?
    # mosquitto_sub 2.0.11 prints this line and exits when the SUBACK denies every filter:
    # return code 0x80 on MQTT 3.1.1, reason code 0x87 on MQTT 5.
    grep -q 'All subscription requests were denied' "$work/client.err" ||
        fail "mosquitto_sub -V $version to things/other-device/# was not denied (exit $client_status): $(cat "$work/client.err")"
    pass "mosquitto_sub -V $version to things/other-device/# was denied: $(head -n 1 "$work/client.err")"
done
grep -q 'Subscribe denied: client sensor-1001 .* to filter things/other-device/#' "$service_log" ||
    fail "The service log does not record the denied subscription."

# With QoS 0, mosquitto_pub exits before the broker closes the connection, so QoS 1 is
# needed to see the denial.
publish --cert device-chain.pem --key device.key -i sensor-1001 -V mqttv311 -q 1 -t things/other-device/telemetry -m denied
((client_status != 0)) || fail "mosquitto_pub -V mqttv311 -q 1 to things/other-device/telemetry exited 0, expected a closed connection."
pass "mosquitto_pub -V mqttv311 -q 1 to things/other-device/telemetry lost its connection: exit $client_status, $(head -n 1 "$work/client.err")"
publish --cert device-chain.pem --key device.key -i sensor-1001 -V mqttv5 -q 1 -t things/other-device/telemetry -m denied
grep -q 'Not authorized' "$work/client.err" ||
    fail "mosquitto_pub -V mqttv5 -q 1 to things/other-device/telemetry got no 'Not authorized' PUBACK (exit $client_status): $(cat "$work/client.err")"
pass "mosquitto_pub -V mqttv5 -q 1 to things/other-device/telemetry got PUBACK Not authorized: $(head -n 1 "$work/client.err")"
grep -q 'Publish denied: client sensor-1001 .* to topic things/other-device/telemetry' "$service_log" ||
    fail "The service log does not record the denied publish."

step "Close the live MQTT 5 session of sensor-1001 when its certificate is revoked"
# stdbuf keeps mosquitto_sub's debug output line-buffered, so that the 'Subscribed' line is
# in the file as soon as the SUBACK arrives.
live_out="$work/live.out"
timeout "$client_timeout" stdbuf -oL mosquitto_sub -d --cafile "$data/tls/dev-ca.crt" -h 127.0.0.1 -p "$mqtt_port" \
    --cert device-chain.pem --key device.key -i sensor-1001 -V mqttv5 -t 'things/sensor-1001/#' \
    >"$live_out" 2>"$work/live.err" &
subscriber_pid=$!
for _ in $(seq 1 100); do
    grep -q '^Subscribed' "$live_out" && break
    kill -0 "$subscriber_pid" 2>/dev/null || fail "mosquitto_sub exited before it subscribed: $(cat "$live_out" "$work/live.err")"
    sleep 0.2
done
grep -q '^Subscribed' "$live_out" || fail "mosquitto_sub did not subscribe within 20 s: $(cat "$live_out" "$work/live.err")"

api POST /api/revocations -H 'Content-Type: application/json' \
    --data-binary "$(json_object certificate=@device.crt 'reason=Device reported stolen')"
[[ $status == 201 ]] || fail "POST /api/revocations returned $status, expected 201: $(cat "$work/response.json")"
revoked_at=$SECONDS
for _ in $(seq 1 50); do
    kill -0 "$subscriber_pid" 2>/dev/null || break
    sleep 0.2
done
kill -0 "$subscriber_pid" 2>/dev/null && fail "mosquitto_sub of sensor-1001 was still connected 10 s after the revocation."
wait "$subscriber_pid" || true
subscriber_pid=""
grep -q 'Received DISCONNECT (135)' "$live_out" ||
    fail "mosquitto_sub did not receive DISCONNECT with reason code 135 (Not authorized): $(cat "$live_out" "$work/live.err")"
pass "mosquitto_sub -V mqttv5 received DISCONNECT Not authorized within $((SECONDS - revoked_at)) s of POST /api/revocations"
check_not_authorized mqttv311 5 device-chain.pem device.key sensor-1001 "revoked certificate"
grep -q 'client sensor-1001 .* rule revoked' "$service_log" || fail "The service log has no connect of sensor-1001 denied by rule revoked."

step "Create a reader key offline with 'keys create' against the running service's data directory"
reader_key=$(cd "$repo_root" && DataDirectory="$data" dotnet run --project src/Cloud -- keys create --role reader --name ci 2>"$work/keys.err") ||
    fail "keys create failed: $(cat "$work/keys.err")"
[[ $reader_key == cloud_* ]] || fail "keys create printed '$reader_key', expected a key of the form cloud_<id>_<secret>."
pass "keys create --role reader printed a new key: $(tail -n 1 "$work/keys.err")"
api_as GET /api/thing-defs -H "Authorization: Bearer $reader_key"
[[ $status == 200 ]] || fail "GET /api/thing-defs with the reader key returned $status, expected 200: $(cat "$work/response.json")"
[[ $(json_field total) == 2 ]] || fail "GET /api/thing-defs with the reader key returned $(json_field total) definitions, expected 2."
pass "GET /api/thing-defs with the reader key returned 200 and both definitions"
api_as POST /api/thing-defs -H "Authorization: Bearer $reader_key" -H 'Content-Type: application/json' \
    -d '{"key":"sensor_v3","name":"Sensor v3"}'
[[ $status == 403 ]] || fail "POST /api/thing-defs with the reader key returned $status, expected 403: $(cat "$work/response.json")"
pass "POST /api/thing-defs with the reader key returned 403: $(json_field detail)"
api_as POST /api/thing-defs -H 'Content-Type: application/json' -d '{"key":"sensor_v3","name":"Sensor v3"}'
[[ $status == 401 ]] || fail "POST /api/thing-defs without a key returned $status, expected 401: $(cat "$work/response.json")"
pass "POST /api/thing-defs without a key returned 401"

printf '\ninterop: %d passed, 0 failed\n' "$passed"
