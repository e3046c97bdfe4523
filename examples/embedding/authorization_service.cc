// A payment service's authorisation step, simulated: it runs the fraud rules
// of rules/ in process with every table embedded, feeds them the traffic
// generator's users and transactions, and queries fsql on each transaction
// before "replying". A transaction that makes its account's flagged_user row
// appear, or that lands in flagged_transaction, is sent to review; every other
// one is approved.
//
// Usage: authorization_service [RULES_DIR] [TRANSACTIONS]
// Exits with 1 when an injected fraud is approved or a normal transaction is
// reviewed, so CI can run it as a test.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include <fsql/engine.h>

#include "examples/traffic/generator.h"

namespace {

using fsql::embed::Decision;
using fsql::embed::Engine;
using fsql::embed::EngineOptions;

struct Verdict {
  bool review = false;
  std::string reason;
};

Verdict Judge(const Decision& decision) {
  Verdict verdict;
  for (const auto* row : decision.RowsOf("flagged_user")) {
    if (row->kind() == fsql::embed::RowKind::kUpdateBefore || row->kind() == fsql::embed::RowKind::kDelete) continue;
    verdict.review = true;
    verdict.reason = "account over its 10-minute limits";
  }
  if (!decision.RowsOf("flagged_transaction").empty()) {
    verdict.review = true;
    verdict.reason = verdict.reason.empty() ? "IP address outside the allow-list" : verdict.reason + ", foreign IP";
  }
  return verdict;
}

int Run(const std::string& rules_dir, int transaction_count) {
  EngineOptions options;
  options.table_defaults["connector"] = "embedded";
  Engine engine(options);
  engine.LoadFiles({rules_dir});

  fsql::traffic::GeneratorOptions generator_options;
  generator_options.user_count = 200;
  fsql::traffic::TrafficGenerator generator(generator_options);
  int64_t now = 1'700'000'000'000;
  for (const auto& record : generator.UserSnapshot(now)) {
    if (record.value) engine.Push(record.topic, *record.value, record.timestamp_ms);
  }

  const fsql::traffic::FraudKind kinds[] = {fsql::traffic::FraudKind::kBurstCount,
                                             fsql::traffic::FraudKind::kLargeAmount,
                                             fsql::traffic::FraudKind::kForeignIp,
                                             fsql::traffic::FraudKind::kBurstAmount};
  int approved = 0, reviewed = 0, wrong = 0, next_kind = 0;
  auto decide = [&](const fsql::traffic::CdcRecord& record, const fsql::traffic::Transaction& transaction,
                    bool fraud_expected, bool last_of_fraud) {
    auto started = std::chrono::steady_clock::now();
    Decision decision = engine.Decide(record.topic, *record.value, record.timestamp_ms);
    auto micros = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started).count();
    Verdict verdict = Judge(decision);
    std::printf("transaction %lld account %lld amount %.2f ip %s: %s%s%s (%.1f us)\n",
                static_cast<long long>(transaction.id), static_cast<long long>(transaction.account_id),
                transaction.amount, transaction.ip_address.c_str(), verdict.review ? "REVIEW" : "approve",
                verdict.review ? " - " : "", verdict.reason.c_str(), micros);
    (verdict.review ? reviewed : approved)++;
    // Normal traffic must be approved. A fraud is caught by its last transaction
    // at the latest; earlier ones of a burst may still pass.
    if (!fraud_expected && verdict.review) ++wrong;
    if (fraud_expected && last_of_fraud && !verdict.review) ++wrong;
    return verdict.review;
  };

  for (int i = 0; i < transaction_count; ++i) {
    now += 1000;
    if (i % 25 == 24) {
      auto [records, fraud] = generator.InjectFraud(kinds[next_kind++ % 4], now, std::nullopt, 100);
      std::printf("-- injecting %s into account %lld\n", fsql::traffic::FraudKindName(fraud.kind),
                  static_cast<long long>(fraud.account_id));
      bool caught = false;
      for (size_t r = 0; r < records.size(); ++r) {
        caught = decide(records[r], fraud.transactions[r], true, r + 1 == records.size() && !caught) || caught;
      }
      now = records.back().timestamp_ms;
    } else {
      fsql::traffic::CdcRecord record = generator.NormalTransaction(now);
      decide(record, generator.last_transaction(), false, false);
    }
  }
  std::printf("approved %d, reviewed %d, wrong verdicts %d\n", approved, reviewed, wrong);
  return wrong == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string rules_dir = argc > 1 ? argv[1] : "rules";
  int transactions = argc > 2 ? std::atoi(argv[2]) : 200;
  try {
    return Run(rules_dir, transactions);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "authorization_service: %s\n", error.what());
    return 1;
  }
}
