// Writes generated CDC traffic to Kafka in real time: the user snapshot, then
// normal transactions at a steady rate with fraud injected on a schedule.
#pragma once

#include <chrono>
#include <functional>
#include <vector>

#include "examples/traffic/generator.h"
#include "runtime/connectors/kafka.h"

namespace fsql::traffic {

struct TrafficSchedule {
  double transactions_per_second = 20;
  /// Time between injected frauds; zero injects none.
  std::chrono::milliseconds fraud_interval{0};
  /// Kinds injected in turn.
  std::vector<FraudKind> fraud_kinds = {FraudKind::kBurstCount, FraudKind::kBurstAmount, FraudKind::kLargeAmount,
                                        FraudKind::kForeignIp};
};

/// Called after an injected fraud's records were handed to the producer, with
/// the wall-clock time in milliseconds when that happened.
using FraudCallback = std::function<void(const InjectedFraud&, int64_t written_at_ms)>;

class TrafficWriter {
 public:
  TrafficWriter(TrafficGenerator& generator, kafka::KafkaProducer& producer)
      : generator_(generator), producer_(producer) {}

  void Write(const CdcRecord& record);
  void WriteAll(const std::vector<CdcRecord>& records);

  /// Writes the user snapshot and flushes it, so users exist before transactions.
  void WriteSnapshot();

  /// Injects one fraud now and returns what it should produce.
  InjectedFraud InjectNow(FraudKind kind);

  /// Writes traffic until `stop()` returns true. Record timestamps are the wall clock.
  void Run(const TrafficSchedule& schedule, const std::function<bool()>& stop, const FraudCallback& on_fraud);

  int64_t records_written() const { return records_written_; }

 private:
  TrafficGenerator& generator_;
  kafka::KafkaProducer& producer_;
  int64_t records_written_ = 0;
};

int64_t WallClockMillis();

}  // namespace fsql::traffic
