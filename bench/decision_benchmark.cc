// Per-decision latency of the fraud rules of rules/ run in process through
// the embedding API (include/fsql), on one thread.
//
// Two cases, each with every table embedded:
//   flagged-user  only the flagged-user rule: auth_user contains the accounts and
//                 each decision pushes one user_transaction row;
//   all-rules     all four rules: each decision pushes one Debezium envelope
//                 into fd.USER_TRANSACTION, which the cleaning rule passes to
//                 the flagged-user and foreign-IP rules.
// Each decision is timed with steady_clock around Engine::Decide, after a
// warm-up that also lets the background compiler replace interpreted Calcs.
//
// Usage: decision_benchmark [--accounts N] [--decisions N] [--warmup N]
//                           [--rules DIR] [--case flagged-user|all-rules]
//                           [--busy-every N]
// Transactions go to uniformly random accounts, except that with
// --busy-every N every Nth goes to one of 100 busy accounts.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <fsql/engine.h>

namespace {

using fsql::embed::Engine;
using fsql::embed::EngineOptions;
using fsql::embed::Value;
using Clock = std::chrono::steady_clock;

struct Options {
  int64_t accounts = 1'000'000;
  int64_t decisions = 1'000'000;
  int64_t warmup = 200'000;
  std::string rules = "rules";
  std::string only_case;
  int64_t busy_every = 0;
};

constexpr int64_t kStartMillis = 1'700'000'000'000;

std::string UserJson(int64_t id) {
  return "{\"ID\":" + std::to_string(id) + ",\"PASSWORD\":\"x\",\"LAST_LOGIN\":0,\"IS_SUPERUSER\":0," +
         "\"USERNAME\":\"user" + std::to_string(id) + "\",\"FIRST_NAME\":\"F\",\"LAST_NAME\":\"L\"," +
         "\"EMAIL\":\"user" + std::to_string(id) + "@example.com\",\"IS_STAFF\":0,\"IS_ACTIVE\":1,\"DATE_JOINED\":0}";
}

std::string TransactionJson(int64_t id, int64_t account, double amount, int64_t received_at) {
  char buffer[256];
  std::snprintf(buffer, sizeof(buffer),
                "{\"ID\":%lld,\"AMOUNT\":%.2f,\"RECEIVED_AT\":%lld,\"IP_ADDRESS\":\"192.0.2.1%d\",\"ACCOUNT_ID\":%lld}",
                static_cast<long long>(id), amount, static_cast<long long>(received_at), static_cast<int>(id % 10),
                static_cast<long long>(account));
  return buffer;
}

std::string Envelope(const std::string& row) { return "{\"before\":null,\"after\":" + row + ",\"op\":\"c\"}"; }

void Report(const char* name, const Options& options, std::vector<double>& micros, double seconds, int64_t flagged) {
  std::sort(micros.begin(), micros.end());
  auto at = [&](double quantile) { return micros[static_cast<size_t>(quantile * (micros.size() - 1))]; };
  std::printf("%-13s accounts=%lld decisions=%zu busy-every=%lld  p50=%.2f us  p99=%.2f us  p99.9=%.2f us  max=%.1f us  "
              "%.0f decisions/s  (%lld flagged)\n",
              name, static_cast<long long>(options.accounts), micros.size(),
              static_cast<long long>(options.busy_every), at(0.50), at(0.99), at(0.999),
              micros.back(), static_cast<double>(micros.size()) / seconds, static_cast<long long>(flagged));
  std::fflush(stdout);
}

/// Pushes the accounts, then times `options.decisions` decisions after the warm-up.
template <typename MakeDecision>
void Measure(const char* name, const Options& options, MakeDecision&& decide) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> account(1, options.accounts);
  std::uniform_real_distribution<double> amount(1.0, 60.0);
  std::vector<double> micros;
  micros.reserve(options.decisions);
  std::vector<double> busy_micros;  // the decisions of busy accounts alone
  int64_t flagged = 0;
  double slowest = 0;
  int64_t slowest_index = 0;
  int64_t total = options.warmup + options.decisions;
  auto started = Clock::now();
  for (int64_t i = 0; i < total; ++i) {
    if (i == options.warmup) started = Clock::now();
    int64_t time = kStartMillis + 1000 + i;  // 1000 decisions per second of event time
    auto before = Clock::now();
    // With --busy-every N, every Nth transaction goes to one of 100 busy
    // accounts, which then exceed 10 transactions in 10 minutes and are flagged.
    bool busy = options.busy_every > 0 && i % options.busy_every == 0;
    int64_t account_id = busy ? 1 + (i / options.busy_every) % 100 : account(rng);
    size_t rows = decide(i + 1, account_id, amount(rng), time);
    auto after = Clock::now();
    if (i >= options.warmup) {
      micros.push_back(std::chrono::duration<double, std::micro>(after - before).count());
      if (busy) busy_micros.push_back(micros.back());
      if (micros.back() > slowest) {
        slowest = micros.back();
        slowest_index = i - options.warmup;
      }
      flagged += rows > 0 ? 1 : 0;
    }
  }
  double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  Report(name, options, micros, seconds, flagged);
  std::sort(busy_micros.begin(), busy_micros.end());
  if (!busy_micros.empty()) {
    std::printf("%-13s busy accounts only: %zu decisions, p50=%.2f us, p99=%.2f us\n", name, busy_micros.size(),
                busy_micros[busy_micros.size() / 2], busy_micros[static_cast<size_t>(0.99 * (busy_micros.size() - 1))]);
  }
  std::printf("%-13s the slowest decision was number %lld of the measured ones\n", name,
              static_cast<long long>(slowest_index));
}

void RunFlaggedUser(const Options& options) {
  EngineOptions engine_options;
  engine_options.table_defaults["connector"] = "embedded";
  engine_options.log_level = "warn";
  Engine engine(engine_options);
  engine.LoadFiles({options.rules});
  engine.Remove("user-transaction-cleaning");
  engine.Remove("auth-user-cleaning");
  engine.Remove("foreign-ip-detection");
  for (int64_t id = 1; id <= options.accounts; ++id) engine.Push("auth_user", UserJson(id), kStartMillis);
  Measure("flagged-user", options, [&](int64_t id, int64_t account, double amount, int64_t time) {
    return engine.Decide("user_transaction", TransactionJson(id, account, amount, time), time).rows.size();
  });
}

void RunAllRules(const Options& options) {
  EngineOptions engine_options;
  engine_options.table_defaults["connector"] = "embedded";
  engine_options.log_level = "warn";
  Engine engine(engine_options);
  engine.LoadFiles({options.rules});
  for (int64_t id = 1; id <= options.accounts; ++id) {
    engine.Push("fd.AUTH_USER", Envelope(UserJson(id)), kStartMillis);
  }
  Measure("all-rules", options, [&](int64_t id, int64_t account, double amount, int64_t time) {
    auto decision = engine.Decide("fd.USER_TRANSACTION", Envelope(TransactionJson(id, account, amount, time)), time);
    return decision.RowsOf("flagged_user").size() + decision.RowsOf("flagged_transaction").size();
  });
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--accounts") {
      options.accounts = std::atoll(argv[i + 1]);
    } else if (flag == "--decisions") {
      options.decisions = std::atoll(argv[i + 1]);
    } else if (flag == "--warmup") {
      options.warmup = std::atoll(argv[i + 1]);
    } else if (flag == "--rules") {
      options.rules = argv[i + 1];
    } else if (flag == "--busy-every") {
      options.busy_every = std::atoll(argv[i + 1]);
    } else if (flag == "--case") {
      options.only_case = argv[i + 1];
    } else {
      std::fprintf(stderr, "unknown option %s\n", flag.c_str());
      return 2;
    }
  }
  if (options.accounts < 1 || options.decisions < 1 || options.warmup < 0) {
    std::fprintf(stderr, "--accounts and --decisions must be positive and --warmup not negative\n");
    return 2;
  }
  try {
    if (options.only_case.empty() || options.only_case == "flagged-user") RunFlaggedUser(options);
    if (options.only_case.empty() || options.only_case == "all-rules") RunAllRules(options);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "decision_benchmark: %s\n", error.what());
    return 1;
  }
  return 0;
}
