/*
 * A Kafka protocol broker for tests and the distributed pipeline benchmark: librdkafka's mock
 * cluster on real 127.0.0.1 TCP ports (no JVM, starts in milliseconds).
 *
 * usage: mock_cluster <brokers> <partitions> [topic ...]
 *
 * Topics are replicated over min(brokers, 3) brokers, as on a production cluster. Prints one line
 * "bootstrap <host:port,...>" on stdout once the topics exist, then obeys commands read line by
 * line from stdin, answering "ok <command>" or "error <reason>":
 *   down <broker_id|-1>          disconnect a broker and refuse new connections
 *   up <broker_id|-1>            accept connections again
 *   rtt <broker_id|-1> <ms>      add round-trip delay
 *   topic <name> <partitions>    create another topic
 *   leader <topic> <partition> <broker_id|-1>   move a partition's leadership (-1: leaderless)
 *   coordinator <group_id> <broker_id>          make a broker the coordinator of a consumer group
 * The mock has no controller: moving leaders and coordinators off a broker that is down, as a real
 * cluster's controller would, is up to the caller (leader, coordinator).
 * It exits when stdin closes, so it never outlives the process that started it.
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reply(const char *fmt, const char *arg) {
  printf(fmt, arg);
  putchar('\n');
  fflush(stdout);
}

static int parse_int(const char *text, int *out) {
  char *end = NULL;
  long value;
  if (!text) return 0;
  value = strtol(text, &end, 10);
  if (*end != '\0' && *end != '\n') return 0;
  *out = (int)value;
  return 1;
}

int main(int argc, char **argv) {
  char errstr[512];
  char line[512];
  int brokers = 1, partitions = 3, replication, i;
  rd_kafka_conf_t *conf;
  rd_kafka_t *rk;
  rd_kafka_mock_cluster_t *cluster;

  if (argc < 3 || !parse_int(argv[1], &brokers) || !parse_int(argv[2], &partitions) || brokers < 1 ||
      partitions < 1) {
    fprintf(stderr, "usage: %s <brokers >= 1> <partitions >= 1> [topic ...]\n", argv[0]);
    return 2;
  }

  conf = rd_kafka_conf_new();
  /* The handle only hosts the cluster's threads; keep its own logging quiet. */
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof(errstr));
  rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  if (!rk) {
    fprintf(stderr, "rd_kafka_new failed: %s\n", errstr);
    return 1;
  }
  cluster = rd_kafka_mock_cluster_new(rk, brokers);
  if (!cluster) {
    fprintf(stderr, "rd_kafka_mock_cluster_new failed\n");
    rd_kafka_destroy(rk);
    return 1;
  }
  replication = brokers < 3 ? brokers : 3;
  for (i = 3; i < argc; i++) {
    rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(cluster, argv[i], partitions, replication);
    if (err) {
      fprintf(stderr, "creating topic %s failed: %s\n", argv[i], rd_kafka_err2str(err));
      return 1;
    }
  }
  reply("bootstrap %s", rd_kafka_mock_cluster_bootstraps(cluster));

  while (fgets(line, sizeof(line), stdin)) {
    char *command = strtok(line, " \t\r\n");
    char *arg1 = strtok(NULL, " \t\r\n");
    char *arg2 = strtok(NULL, " \t\r\n");
    char *arg3 = strtok(NULL, " \t\r\n");
    int id = 0, value = 0;
    rd_kafka_resp_err_t err;
    if (!command) continue;
    if (!strcmp(command, "down") && parse_int(arg1, &id)) {
      err = rd_kafka_mock_broker_set_down(cluster, id);
    } else if (!strcmp(command, "up") && parse_int(arg1, &id)) {
      err = rd_kafka_mock_broker_set_up(cluster, id);
    } else if (!strcmp(command, "rtt") && parse_int(arg1, &id) && parse_int(arg2, &value)) {
      err = rd_kafka_mock_broker_set_rtt(cluster, id, value);
    } else if (!strcmp(command, "topic") && arg1 && parse_int(arg2, &value) && value > 0) {
      err = rd_kafka_mock_topic_create(cluster, arg1, value, replication);
    } else if (!strcmp(command, "leader") && arg1 && parse_int(arg2, &value) && parse_int(arg3, &id)) {
      err = rd_kafka_mock_partition_set_leader(cluster, arg1, value, id);
    } else if (!strcmp(command, "coordinator") && arg1 && parse_int(arg2, &id)) {
      err = rd_kafka_mock_coordinator_set(cluster, "group", arg1, id);
    } else {
      reply("error unknown or malformed command: %s", command);
      continue;
    }
    if (err) reply("error %s", rd_kafka_err2str(err));
    else reply("ok %s", command);
  }

  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  return 0;
}
