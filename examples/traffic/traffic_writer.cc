#include "examples/traffic/traffic_writer.h"

#include <thread>

namespace fsql::traffic {

int64_t WallClockMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void TrafficWriter::Write(const CdcRecord& record) {
  producer_.Produce(record.topic, record.key, record.value, record.timestamp_ms);
  ++records_written_;
}

void TrafficWriter::WriteAll(const std::vector<CdcRecord>& records) {
  for (const auto& record : records) Write(record);
}

void TrafficWriter::WriteSnapshot() {
  WriteAll(generator_.UserSnapshot(WallClockMillis()));
  producer_.Flush(std::chrono::seconds(30));
}

InjectedFraud TrafficWriter::InjectNow(FraudKind kind) {
  auto [records, fraud] = generator_.InjectFraud(kind, WallClockMillis());
  WriteAll(records);
  return fraud;
}

void TrafficWriter::Run(const TrafficSchedule& schedule, const std::function<bool()>& stop,
                        const FraudCallback& on_fraud) {
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now();
  auto period = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(1.0 / std::max(schedule.transactions_per_second, 0.001)));
  auto next_transaction = start;
  auto next_fraud = start + schedule.fraud_interval;
  size_t next_kind = 0;
  while (!stop()) {
    auto now = Clock::now();
    if (schedule.fraud_interval.count() > 0 && now >= next_fraud && !schedule.fraud_kinds.empty()) {
      InjectedFraud fraud = InjectNow(schedule.fraud_kinds[next_kind++ % schedule.fraud_kinds.size()]);
      if (on_fraud) on_fraud(fraud, WallClockMillis());
      next_fraud += schedule.fraud_interval;
    }
    if (now >= next_transaction) {
      Write(generator_.NormalTransaction(WallClockMillis()));
      next_transaction += period;
      // After a stall, catch up by at most one second of traffic rather than a burst.
      if (Clock::now() - next_transaction > std::chrono::seconds(1)) next_transaction = Clock::now();
      continue;
    }
    std::this_thread::sleep_until(std::min(next_transaction, now + std::chrono::milliseconds(5)));
  }
}

}  // namespace fsql::traffic
