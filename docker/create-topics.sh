#!/usr/bin/env bash
# One-shot (docker-compose service kafka-init): creates the topics of flux/docker.properties.
set -euo pipefail
BOOTSTRAP=kafka:9092
TOPICS=/opt/kafka/bin/kafka-topics.sh
until $TOPICS --bootstrap-server "$BOOTSTRAP" --list > /dev/null 2>&1; do echo "waiting for Kafka"; sleep 2; done
create() { $TOPICS --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$1" --partitions "$2" --replication-factor 1 "${@:3}"; }
create raw 8
create crm-trigger 4
create crm-dead-letter 1
create crm-maintenance 1
create crm-handlers 1 --config cleanup.policy=compact
$TOPICS --bootstrap-server "$BOOTSTRAP" --list
