#include "runtime/connectors/rdkafka_util.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <vector>

#include "runtime/common/error.h"

namespace fsql::kafka::internal {
namespace {

// librdkafka reports syslog(3) severities: 0 is emergency, 7 is debug.
spdlog::level::level_enum LevelFromSyslog(int level) {
  if (level <= 3) {
    return spdlog::level::err;
  }
  if (level == 4) {
    return spdlog::level::warn;
  }
  if (level <= 6) {
    return spdlog::level::info;
  }
  return spdlog::level::debug;
}

// librdkafka calls this on its internal threads, and spdlog's default logger is
// thread-safe.
void LogToSpdlog(const rd_kafka_t* handle, int level, const char* facility, const char* message) {
  spdlog::log(LevelFromSyslog(level), "librdkafka {} {}: {}", rd_kafka_name(handle), facility,
              message);
}

void SetProperty(rd_kafka_conf_t* conf, const std::string& name, const std::string& value) {
  char reason[512];
  if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), reason, sizeof(reason)) !=
      RD_KAFKA_CONF_OK) {
    throw ConnectorError(fmt::format("invalid Kafka property '{}'='{}': {}", name, value, reason));
  }
}

}  // namespace

ConfPtr BuildConf(const KafkaProperties& defaults, const KafkaProperties& properties) {
  ConfPtr conf(rd_kafka_conf_new());
  rd_kafka_conf_set_log_cb(conf.get(), LogToSpdlog);
  for (const auto& [name, value] : defaults) {
    SetProperty(conf.get(), name, value);
  }
  // Applied second, so a caller's value replaces a default of the same name or alias.
  for (const auto& [name, value] : properties) {
    SetProperty(conf.get(), name, value);
  }
  return conf;
}

std::string FormatPartitions(const rd_kafka_topic_partition_list_t& partitions) {
  std::map<std::string, std::vector<int32_t>> by_topic;
  for (int i = 0; i < partitions.cnt; ++i) {
    by_topic[partitions.elems[i].topic].push_back(partitions.elems[i].partition);
  }
  std::vector<std::string> parts;
  for (auto& [topic, ids] : by_topic) {
    std::sort(ids.begin(), ids.end());
    parts.push_back(fmt::format("{}[{}]", topic, fmt::join(ids, ",")));
  }
  return parts.empty() ? "(none)" : fmt::format("{}", fmt::join(parts, " "));
}

std::optional<std::string> FindProperty(const KafkaProperties& properties,
                                        const std::string& name) {
  auto it = properties.find(name);
  if (it == properties.end() || it->second.empty()) {
    return std::nullopt;
  }
  return it->second;
}

TransientErrorLog::TransientErrorLog(std::string client) : client_(std::move(client)) {}

void TransientErrorLog::Record(std::string_view reason) {
  std::lock_guard lock(mutex_);
  ++unreported_count_;
  auto now = std::chrono::steady_clock::now();
  if (last_report_ && now - *last_report_ < kReportInterval) {
    return;
  }
  spdlog::warn("{}: {} transient Kafka error(s) since the last report, latest: {}", client_,
               unreported_count_, reason);
  unreported_count_ = 0;
  last_report_ = now;
}

}  // namespace fsql::kafka::internal
