package io.gamecrm;

/**
 * Every name the topology shares between components, the Flux file, tests and tools: topics,
 * component ids, stream ids, tuple fields and the property keys of {@code flux/*.properties}.
 * Nothing else in the code base spells these strings.
 */
public final class Names {
    private Names() {
    }

    /** Default topic names; each is overridable by the property named in {@link Props}. */
    public static final class Topics {
        private Topics() {
        }

        /** Player events from the game, keyed by player id. */
        public static final String RAW = "raw";
        /** Offers for the CRM service, keyed by player id; see schemas/trigger.schema.json. */
        public static final String TRIGGER = "crm-trigger";
        /** Raw records the topology refused, with the reason; see schemas/dead-letter.schema.json. */
        public static final String DEAD_LETTER = "crm-dead-letter";
        /** Component events: started, handlers loaded or rejected, errors. */
        public static final String MAINTENANCE = "crm-maintenance";
        /** Compacted: the published handler files, kill switch and budget pauses. */
        public static final String HANDLERS = "crm-handlers";
    }

    /** Component ids in flux/crm-topology.yaml. */
    public static final class Components {
        private Components() {
        }

        public static final String RAW_SPOUT = "raw-events";
        public static final String HANDLER_WATCHER = "handler-watcher";
        public static final String VALIDATE = "validate";
        public static final String PARTITION = "partition-by-player";
        public static final String CRM = "crm";
        public static final String TRIGGER_SINK = "trigger-sink";
        public static final String DEAD_LETTER_SINK = "dead-letter-sink";
    }

    /** Stream ids. */
    public static final class Streams {
        private Streams() {
        }

        /** Valid events, out of the validation bolt. */
        public static final String EVENTS = "events";
        /** Valid events routed by player, out of the partitioner bolt. */
        public static final String BY_PLAYER = "by-player";
        /** Refused records, to the dead-letter sink. */
        public static final String DEAD_LETTER = "dead-letter";
        /** Triggers, to the trigger sink. */
        public static final String TRIGGERS = "triggers";
    }

    /**
     * The stage timers of an event's way through the topology (Storm metrics v2, Dropwizard
     * timers; README, "Watching it"). Cross-bolt stages use epoch milliseconds carried in the
     * tuple (the raw record's Kafka timestamp, {@code ingested_at}); the CRM task's stages use its
     * nanosecond clock.
     */
    public static final class StageMetrics {
        private StageMetrics() {
        }

        /** Raw record's Kafka timestamp (producer or broker) to ValidationBolt.execute: broker and spout. */
        public static final String TO_VALIDATE = "crm.stage.to-validate";
        /** ValidationBolt.execute: parse, schema check, emit. */
        public static final String VALIDATE = "crm.stage.validate";
        /** Validated ({@code ingested_at}) to PlayerPartitionerBolt.execute. */
        public static final String PARTITION = "crm.stage.partition";
        /** Validated ({@code ingested_at}) to CrmBolt.execute: both hops, through the partitioner. */
        public static final String TO_CRM = "crm.stage.to-crm";
        /** Handed to the committer (CrmBolt.execute) to its batch's start. */
        public static final String WAIT = "crm.stage.wait";
        /** A batch's state reads: sent to answered (0 when every state is cached). */
        public static final String READ = "crm.stage.read";
        /** A batch's events applied: handlers, guards, decisions. */
        public static final String APPLY = "crm.stage.apply";
        /** A batch's writes: keyed rows sent to player states committed. */
        public static final String WRITE = "crm.stage.write";
        /** A batch released to its last trigger emitted and input acked. */
        public static final String EMIT = "crm.stage.emit";
    }

    /** Tuple fields. */
    public static final class Fields {
        private Fields() {
        }

        // out of the Kafka spout (RawRecordTranslator)
        public static final String TOPIC = "topic";
        public static final String PARTITION = "partition";
        public static final String OFFSET = "offset";
        public static final String KEY = "key";
        public static final String VALUE = "value";
        public static final String RECORD_TIMESTAMP = "record_timestamp";

        // a valid event
        public static final String EVENT_ID = "event_id";
        public static final String EVENT_TYPE = "event_type";
        public static final String PLAYER_ID = "player_id";
        public static final String EVENT_TIME = "event_time";
        public static final String EVENT_JSON = "event_json";
        public static final String INGESTED_AT = "ingested_at";

        // into a KafkaBolt (FieldNameBasedTupleToKafkaMapper)
        public static final String SINK_KEY = "key";
        public static final String SINK_MESSAGE = "message";
    }

    /** Keys of flux/*.properties (documented in flux/reference.properties). */
    public static final class Props {
        private Props() {
        }

        public static final String TOPOLOGY_NAME = "crm.topology.name";
        public static final String KAFKA_BOOTSTRAP = "kafka.bootstrap.servers";
        public static final String KAFKA_GROUP_ID = "crm.kafka.group.id";
        public static final String TOPIC_RAW = "crm.topic.raw";
        public static final String TOPIC_TRIGGER = "crm.topic.trigger";
        public static final String TOPIC_DEAD_LETTER = "crm.topic.dead-letter";
        public static final String TOPIC_MAINTENANCE = "crm.topic.maintenance";
        public static final String TOPIC_HANDLERS = "crm.topic.handlers";
        public static final String HANDLERS_BUDGET_MS = "crm.handlers.budget.ms";
        public static final String HANDLERS_FILE_BUDGET_MS = "crm.handlers.file.budget.ms";
        public static final String HANDLERS_EVENT_BUDGET_MS = "crm.handlers.event.budget.ms";
        public static final String HANDLERS_LOAD_BUDGET_MS = "crm.handlers.load.budget.ms";
        public static final String HANDLERS_DEADLINE_MS = "crm.handlers.deadline.ms";
        public static final String HANDLERS_LOAD_DEADLINE_MS = "crm.handlers.load.deadline.ms";
        public static final String HANDLERS_MEMORY_MB = "crm.handlers.memory.mb";
        public static final String HANDLERS_PROFILE_MAX_BYTES = "crm.handlers.profile.max.bytes";
        public static final String HANDLERS_PROFILE_MAX_KEYS = "crm.handlers.profile.max.keys";
        public static final String HANDLERS_KEY_MAX_LENGTH = "crm.handlers.profile.key.max.length";
        public static final String HANDLERS_VALUE_MAX_DEPTH = "crm.handlers.profile.value.max.depth";
        public static final String HANDLERS_PARAMS_MAX_BYTES = "crm.handlers.params.max.bytes";
        public static final String HANDLERS_FILE_MAX_BYTES = "crm.handlers.file.max.bytes";
        public static final String HANDLERS_STRING_MAX_LENGTH = "crm.handlers.string.max.length";
        public static final String HANDLERS_ARRAY_MAX_LENGTH = "crm.handlers.array.max.length";
        public static final String HANDLERS_LOG_LINES = "crm.handlers.log.lines";
        public static final String HANDLERS_REQUESTS_PER_CALL = "crm.handlers.requests.per.call";
        public static final String HANDLERS_BREAKER_FAILURES = "crm.handlers.breaker.failures";
        public static final String HANDLERS_BREAKER_TIMEOUTS = "crm.handlers.breaker.timeouts";
        public static final String HANDLERS_BREAKER_COOLDOWN_MS = "crm.handlers.breaker.cooldown.ms";
        public static final String CRM_TASKS = "crm.crm.tasks";
        public static final String HOLDOUT_GLOBAL = "crm.holdout.global";
        public static final String HANDLERS_DIR = "crm.handlers.dir";
        public static final String EVENT_MAX_BYTES = "crm.event.max.bytes";
        public static final String CASSANDRA_CONTACT_POINTS = "cassandra.contact.points";
        public static final String CASSANDRA_DATACENTER = "cassandra.local.datacenter";
        public static final String CASSANDRA_KEYSPACE = "cassandra.keyspace";
        public static final String CASSANDRA_REPLICATION = "cassandra.replication";
        public static final String CASSANDRA_EVENTS_TTL = "cassandra.events.ttl.seconds";
        public static final String CASSANDRA_REQUEST_TIMEOUT = "cassandra.request.timeout.ms";
        public static final String CASSANDRA_USERNAME = "cassandra.username";
        public static final String CASSANDRA_PASSWORD = "cassandra.password";
        /** The prefix of the Kafka client keys: {@code kafka.<client key>}. */
        public static final String KAFKA_CLIENT_PREFIX = "kafka.";
        /**
         * The Kafka client keys (without {@link #KAFKA_CLIENT_PREFIX}) that every Kafka client takes from the
         * properties file: the topology's (the Flux file's {@code kafkaClientRaw}), the CLI's and the
         * gateway's. Empty values are dropped.
         */
        public static final java.util.List<String> KAFKA_SECURITY_KEYS = java.util.List.of("security.protocol",
                "sasl.mechanism", "sasl.jaas.config", "ssl.truststore.location", "ssl.truststore.password",
                "ssl.keystore.location", "ssl.keystore.password");
    }
}
