// EmbeddedBroker over librdkafka's mock cluster.
#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <spdlog/spdlog.h>

#include "runtime/common/error.h"
#include "runtime/connectors/kafka.h"
#include "runtime/connectors/rdkafka_util.h"

namespace fsql::kafka {
namespace {

class MockClusterBroker final : public EmbeddedBroker {
 public:
  // Takes ownership of both handles.
  MockClusterBroker(rd_kafka_t* owner, rd_kafka_mock_cluster_t* cluster)
      : owner_(owner),
        cluster_(cluster),
        bootstrap_servers_(rd_kafka_mock_cluster_bootstraps(cluster)) {}

  ~MockClusterBroker() override {
    // The cluster runs on a thread of the owner handle, so it goes first.
    rd_kafka_mock_cluster_destroy(cluster_);
    rd_kafka_destroy(owner_);
    spdlog::info("embedded Kafka broker at {} stopped", bootstrap_servers_);
  }

  std::string BootstrapServers() const override { return bootstrap_servers_; }

  void CreateTopic(const std::string& topic, int partitions) override {
    if (partitions < 1) {
      throw ConnectorError(fmt::format(
          "cannot create topic '{}' with {} partitions on the embedded broker; the count must "
          "be at least 1",
          topic, partitions));
    }
    rd_kafka_resp_err_t err =
        rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, /*replication_factor=*/1);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw ConnectorError(fmt::format("failed to create topic '{}' on the embedded broker: {}",
                                       topic, rd_kafka_err2str(err)));
    }
  }

 private:
  rd_kafka_t* owner_;
  rd_kafka_mock_cluster_t* cluster_;
  std::string bootstrap_servers_;
};

// A producer handle that only owns the mock cluster. It never connects anywhere,
// so its notice about missing bootstrap.servers is hidden by the warning level.
rd_kafka_t* CreateOwnerHandle() {
  internal::ConfPtr conf = internal::BuildConf({{"log_level", "4"}}, {});
  char reason[512];
  rd_kafka_t* owner = rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), reason, sizeof(reason));
  if (owner == nullptr) {
    throw ConnectorError(
        fmt::format("failed to create the client that hosts the embedded broker: {}", reason));
  }
  conf.release();  // rd_kafka_new took ownership
  return owner;
}

}  // namespace

std::unique_ptr<EmbeddedBroker> EmbeddedBroker::Start(int broker_count) {
  if (broker_count < 1) {
    throw ConnectorError(fmt::format(
        "cannot start an embedded Kafka cluster of {} brokers; start at least 1", broker_count));
  }
  rd_kafka_t* owner = CreateOwnerHandle();
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(owner, broker_count);
  if (cluster == nullptr) {
    rd_kafka_destroy(owner);
    throw ConnectorError(fmt::format(
        "failed to start an embedded Kafka cluster of {} broker(s); librdkafka logged the cause",
        broker_count));
  }
  auto broker = std::make_unique<MockClusterBroker>(owner, cluster);
  spdlog::info("embedded Kafka broker started at {}", broker->BootstrapServers());
  return broker;
}

}  // namespace fsql::kafka
