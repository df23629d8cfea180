#!/usr/bin/env bash
# One-shot (docker-compose service cassandra-init): applies schemas/cql/crm.cql to the keyspace of
# flux/docker.properties. The topology would do it at start too; doing it first keeps the submit
# clean and lets cqlsh users look at the tables before any event arrives.
set -euo pipefail
KEYSPACE=crm
until cqlsh cassandra -e "DESCRIBE KEYSPACES" > /dev/null 2>&1; do echo "waiting for Cassandra"; sleep 3; done
cqlsh cassandra -e "CREATE KEYSPACE IF NOT EXISTS $KEYSPACE WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"
cqlsh cassandra -k "$KEYSPACE" -f /schema/crm.cql
cqlsh cassandra -k "$KEYSPACE" -e "DESCRIBE TABLES"
