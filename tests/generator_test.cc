#include "examples/traffic/generator.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

namespace fsql::traffic {
namespace {

using simdjson::dom::element_type;

constexpr int64_t kStartMs = 1733333333000;
constexpr int64_t kWindowMs = 10 * 60 * 1000;

// The fraud rules of the demo, as the SQL states them over one 10-minute window.
constexpr size_t kCountLimit = 10;
constexpr double kSumLimit = 1000.0;

const std::vector<std::string> kEnvelopeFields = {"before", "after", "op", "ts_ms", "source"};
const std::vector<std::string> kSourceFields = {"version", "connector", "name", "ts_ms",
                                                "db",      "schema",    "table"};

enum class Column { kNumber, kNumberOrNull, kString };

const std::vector<std::pair<std::string, Column>> kTransactionColumns = {
    {"ID", Column::kNumber},
    {"AMOUNT", Column::kNumber},
    {"RECEIVED_AT", Column::kNumber},
    {"IP_ADDRESS", Column::kString},
    {"ACCOUNT_ID", Column::kNumber},
};

const std::vector<std::pair<std::string, Column>> kUserColumns = {
    {"ID", Column::kNumber},           {"PASSWORD", Column::kString},
    {"LAST_LOGIN", Column::kNumberOrNull}, {"IS_SUPERUSER", Column::kNumber},
    {"USERNAME", Column::kString},     {"FIRST_NAME", Column::kString},
    {"LAST_NAME", Column::kString},    {"EMAIL", Column::kString},
    {"IS_STAFF", Column::kNumber},     {"IS_ACTIVE", Column::kNumber},
    {"DATE_JOINED", Column::kNumber},
};

// A transaction as read back from its CDC record.
struct SeenTransaction {
  int64_t id = 0;
  int64_t account_id = 0;
  double amount = 0;
  int64_t received_at_ms = 0;
  std::string ip_address;
};

GeneratorOptions Options(uint64_t seed, int user_count) {
  GeneratorOptions options;
  options.seed = seed;
  options.user_count = user_count;
  return options;
}

element_type TypeOf(simdjson::dom::element value) {
  return value.type();
}

std::string StringOf(simdjson::dom::element value) {
  return std::string(std::string_view(value));
}

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::vector<std::string> FieldNames(simdjson::dom::object object) {
  std::vector<std::string> names;
  for (auto field : object) {
    names.emplace_back(field.key);
  }
  return names;
}

std::string ValueOf(const CdcRecord& record) {
  EXPECT_TRUE(record.value.has_value()) << "unexpected tombstone, key " << record.key;
  return record.value.value_or("null");
}

// The raw text of every number inside the member object `member` of `json`.
std::vector<std::string> NumberTokens(const std::string& json, const char* member) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(json);
  simdjson::ondemand::document document = parser.iterate(padded);
  std::vector<std::string> tokens;
  simdjson::ondemand::object object = document[member].get_object();
  for (auto field : object) {
    simdjson::ondemand::value value = field.value();
    if (value.type() == simdjson::ondemand::json_type::number) {
      tokens.emplace_back(std::string_view(value.raw_json_token()));
    }
  }
  return tokens;
}

void ExpectRowColumns(simdjson::dom::object row,
                      const std::vector<std::pair<std::string, Column>>& columns) {
  std::vector<std::string> expected_names;
  for (const auto& [name, column] : columns) {
    expected_names.push_back(name);
  }
  EXPECT_EQ(FieldNames(row), expected_names);

  for (const auto& [name, column] : columns) {
    simdjson::dom::element value;
    ASSERT_EQ(row[name].get(value), simdjson::SUCCESS) << name;
    const element_type type = value.type();
    if (column == Column::kString) {
      EXPECT_EQ(type, element_type::STRING) << name;
    } else if (column == Column::kNumberOrNull && type == element_type::NULL_VALUE) {
      continue;
    } else {
      EXPECT_EQ(type, element_type::DOUBLE) << name;
    }
  }
}

// Every number in a row is a double with a fraction or exponent in its text.
void ExpectRowNumbersHaveFraction(const std::string& json, const char* member) {
  for (const std::string& token : NumberTokens(json, member)) {
    EXPECT_NE(token.find_first_of(".eE"), std::string::npos) << token << " in " << json;
  }
}

void ExpectKey(const CdcRecord& record, int64_t id) {
  EXPECT_EQ(record.key, "{\"ID\":" + std::to_string(id) + ".0}");
}

void ExpectSource(simdjson::dom::object source, const char* table, int64_t now_ms) {
  EXPECT_EQ(FieldNames(source), kSourceFields);
  EXPECT_EQ(std::string_view(source["version"]), "2.4.2.Final");
  EXPECT_EQ(std::string_view(source["connector"]), "oracle");
  EXPECT_EQ(std::string_view(source["name"]), "fd");
  EXPECT_EQ(TypeOf(source["ts_ms"]), element_type::INT64);
  EXPECT_EQ(int64_t(source["ts_ms"]), now_ms - 5);
  EXPECT_EQ(std::string_view(source["db"]), "ORCLPDB1");
  EXPECT_EQ(std::string_view(source["schema"]), "FD");
  EXPECT_EQ(std::string_view(source["table"]), table);
}

// Checks the envelope of a user or transaction record, whose op decides which of
// before and after are rows.
void ExpectEnvelope(const CdcRecord& record, const GeneratorOptions& options) {
  const std::string json = ValueOf(record);
  simdjson::dom::parser parser;
  simdjson::dom::object envelope = parser.parse(json);
  EXPECT_EQ(FieldNames(envelope), kEnvelopeFields);

  const bool is_user = record.topic == options.user_topic;
  if (!is_user) {
    EXPECT_EQ(record.topic, options.transaction_topic);
  }
  const char* table = is_user ? "AUTH_USER" : "USER_TRANSACTION";
  const auto& columns = is_user ? kUserColumns : kTransactionColumns;

  const std::string op = StringOf(envelope["op"]);
  const std::set<std::string> ops = is_user ? std::set<std::string>{"r", "u", "d"}
                                            : std::set<std::string>{"c"};
  EXPECT_TRUE(ops.count(op)) << "op " << op << " on " << record.topic;
  EXPECT_EQ(TypeOf(envelope["ts_ms"]), element_type::INT64);
  EXPECT_EQ(int64_t(envelope["ts_ms"]), record.timestamp_ms);
  ExpectSource(envelope["source"], table, record.timestamp_ms);

  const bool has_before = op == "u" || op == "d";
  const bool has_after = op != "d";
  const std::pair<const char*, bool> members[] = {{"before", has_before}, {"after", has_after}};
  for (const auto& [member, is_row] : members) {
    SCOPED_TRACE(member);
    if (!is_row) {
      EXPECT_EQ(TypeOf(envelope[member]), element_type::NULL_VALUE);
      continue;
    }
    simdjson::dom::object row = envelope[member];
    ExpectRowColumns(row, columns);
    ExpectKey(record, int64_t(double(row["ID"])));
    ExpectRowNumbersHaveFraction(json, member);
  }
}

SeenTransaction ReadTransaction(simdjson::dom::parser& parser, const CdcRecord& record) {
  simdjson::dom::object row = parser.parse(ValueOf(record))["after"];
  SeenTransaction seen;
  seen.id = int64_t(double(row["ID"]));
  seen.account_id = int64_t(double(row["ACCOUNT_ID"]));
  seen.amount = double(row["AMOUNT"]);
  seen.received_at_ms = int64_t(double(row["RECEIVED_AT"]));
  seen.ip_address = StringOf(row["IP_ADDRESS"]);
  return seen;
}

std::vector<SeenTransaction> ReadTransactions(const std::vector<CdcRecord>& records) {
  simdjson::dom::parser parser;
  std::vector<SeenTransaction> seen;
  for (const CdcRecord& record : records) {
    seen.push_back(ReadTransaction(parser, record));
  }
  return seen;
}

// The user rows of a snapshot, minified and keyed by ID.
std::map<int64_t, std::string> SnapshotRows(const std::vector<CdcRecord>& records) {
  simdjson::dom::parser parser;
  std::map<int64_t, std::string> rows;
  for (const CdcRecord& record : records) {
    simdjson::dom::element row = parser.parse(ValueOf(record))["after"];
    rows[int64_t(double(row["ID"]))] = simdjson::minify(row);
  }
  return rows;
}

// Every call of the public API, so the determinism and envelope tests see every kind
// of record.
std::vector<CdcRecord> RunScript(uint64_t seed) {
  TrafficGenerator generator(Options(seed, 100));
  std::vector<CdcRecord> records = generator.UserSnapshot(kStartMs);
  int64_t now_ms = kStartMs;
  for (int i = 0; i < 300; ++i) {
    now_ms += 1000;
    records.push_back(generator.NormalTransaction(now_ms));
  }
  for (const FraudKind kind : {FraudKind::kBurstCount, FraudKind::kBurstAmount,
                               FraudKind::kLargeAmount, FraudKind::kForeignIp}) {
    auto [fraud_records, fraud] = generator.InjectFraud(kind, now_ms, std::nullopt, 250);
    records.insert(records.end(), fraud_records.begin(), fraud_records.end());
  }
  records.push_back(generator.UpdateUser(7, now_ms));
  for (CdcRecord& record : generator.DeleteUser(8, now_ms)) {
    records.push_back(std::move(record));
  }
  return records;
}

// Whether each rule of the demo fires on `transactions`, all from one account inside
// one 10-minute window.
struct RuleHits {
  bool count = false;
  bool sum = false;
  bool large = false;
  bool foreign_ip = false;
};

RuleHits EvaluateRules(const std::vector<SeenTransaction>& transactions) {
  RuleHits hits;
  double sum = 0;
  for (const SeenTransaction& transaction : transactions) {
    sum += transaction.amount;
    hits.large |= transaction.amount > kSumLimit;
    hits.foreign_ip |=
        !Contains(TrafficGenerator::AllowedIpAddresses(), transaction.ip_address);
  }
  hits.count = transactions.size() > kCountLimit;
  hits.sum = sum > kSumLimit;
  return hits;
}

double SumAmounts(const std::vector<SeenTransaction>& transactions) {
  double sum = 0;
  for (const SeenTransaction& transaction : transactions) {
    sum += transaction.amount;
  }
  return sum;
}

// Injects `kind` into a fresh generator of `seed` and reads its transactions back.
std::vector<SeenTransaction> InjectInto(uint64_t seed, FraudKind kind) {
  TrafficGenerator generator(Options(seed, 100));
  auto [records, fraud] = generator.InjectFraud(kind, kStartMs, std::nullopt, 1000);
  return ReadTransactions(records);
}

// ---- Names and addresses ----

TEST(FraudKindTest, NamesRoundTrip) {
  for (const FraudKind kind : {FraudKind::kBurstCount, FraudKind::kBurstAmount,
                               FraudKind::kLargeAmount, FraudKind::kForeignIp}) {
    EXPECT_EQ(ParseFraudKind(FraudKindName(kind)), kind) << FraudKindName(kind);
  }
  EXPECT_STREQ(FraudKindName(FraudKind::kBurstCount), "burst-count");
  EXPECT_STREQ(FraudKindName(FraudKind::kBurstAmount), "burst-amount");
  EXPECT_STREQ(FraudKindName(FraudKind::kLargeAmount), "large-amount");
  EXPECT_STREQ(FraudKindName(FraudKind::kForeignIp), "foreign-ip");
}

TEST(FraudKindTest, ParseRejectsUnknownName) {
  EXPECT_EQ(ParseFraudKind(""), std::nullopt);
  EXPECT_EQ(ParseFraudKind("burst"), std::nullopt);
  EXPECT_EQ(ParseFraudKind("Burst-Count"), std::nullopt);
}

TEST(IpAddressTest, AllowedAndBlockedAreDisjoint) {
  const auto& allowed = TrafficGenerator::AllowedIpAddresses();
  const auto& blocked = TrafficGenerator::BlockedIpAddresses();
  EXPECT_GE(allowed.size(), 10u);
  EXPECT_GE(blocked.size(), 5u);
  EXPECT_EQ(std::set<std::string>(allowed.begin(), allowed.end()).size(), allowed.size());
  for (const std::string& address : blocked) {
    EXPECT_FALSE(Contains(allowed, address)) << address;
  }
}

// ---- Determinism ----

TEST(GeneratorTest, SameSeedGivesIdenticalRecords) {
  const std::vector<CdcRecord> first = RunScript(7);
  const std::vector<CdcRecord> second = RunScript(7);
  ASSERT_EQ(first.size(), second.size());
  for (size_t i = 0; i < first.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(first[i].topic, second[i].topic);
    EXPECT_EQ(first[i].key, second[i].key);
    EXPECT_EQ(first[i].value, second[i].value);
    EXPECT_EQ(first[i].timestamp_ms, second[i].timestamp_ms);
  }
}

TEST(GeneratorTest, DifferentSeedGivesDifferentRecords) {
  const std::vector<CdcRecord> first = RunScript(7);
  const std::vector<CdcRecord> second = RunScript(8);
  ASSERT_FALSE(first.empty());
  size_t differing = 0;
  for (size_t i = 0; i < std::min(first.size(), second.size()); ++i) {
    differing += first[i].value != second[i].value;
  }
  EXPECT_GT(differing, first.size() / 2);
}

TEST(GeneratorTest, SnapshotDoesNotChangeTransactions) {
  TrafficGenerator with_snapshot(Options(3, 50));
  TrafficGenerator without_snapshot(Options(3, 50));
  with_snapshot.UserSnapshot(kStartMs);
  for (int i = 0; i < 20; ++i) {
    const int64_t now_ms = kStartMs + i * 1000;
    EXPECT_EQ(with_snapshot.NormalTransaction(now_ms).value,
              without_snapshot.NormalTransaction(now_ms).value);
  }
}

TEST(GeneratorTest, RejectsZeroUsers) {
  EXPECT_THROW(TrafficGenerator(Options(1, 0)), std::invalid_argument);
}

// ---- Envelopes ----

TEST(EnvelopeTest, EveryRecordHasExactFields) {
  const GeneratorOptions options = Options(7, 100);
  for (const CdcRecord& record : RunScript(7)) {
    SCOPED_TRACE(record.value.value_or("tombstone"));
    if (record.value) {
      ExpectEnvelope(record, options);
    }
  }
}

TEST(EnvelopeTest, TransactionMatchesReturnedValues) {
  TrafficGenerator generator(Options(5, 100));
  const CdcRecord record = generator.NormalTransaction(kStartMs);
  const Transaction& created = generator.last_transaction();
  simdjson::dom::parser parser;
  const SeenTransaction seen = ReadTransaction(parser, record);

  EXPECT_EQ(record.topic, "fd.USER_TRANSACTION");
  EXPECT_EQ(record.timestamp_ms, kStartMs);
  ExpectKey(record, 1);
  EXPECT_EQ(seen.id, 1);
  EXPECT_EQ(created.id, 1);
  EXPECT_EQ(seen.account_id, created.account_id);
  EXPECT_EQ(seen.amount, created.amount);
  EXPECT_EQ(seen.received_at_ms, kStartMs);
  EXPECT_EQ(seen.ip_address, created.ip_address);
}

TEST(EnvelopeTest, AmountsAreWholeCents) {
  TrafficGenerator generator(Options(5, 100));
  simdjson::dom::parser parser;
  for (int i = 0; i < 200; ++i) {
    const SeenTransaction seen =
        ReadTransaction(parser, generator.NormalTransaction(kStartMs + i * 10000));
    EXPECT_EQ(seen.amount, std::round(seen.amount * 100) / 100) << seen.amount;
    EXPECT_GE(seen.amount, 0.25);
    EXPECT_LE(seen.amount, 50.0);
  }
}

TEST(EnvelopeTest, TransactionIdsIncreaseFromOne) {
  TrafficGenerator generator(Options(5, 100));
  std::vector<CdcRecord> records;
  for (int i = 0; i < 5; ++i) {
    records.push_back(generator.NormalTransaction(kStartMs + i));
  }
  auto [fraud_records, fraud] = generator.InjectFraud(FraudKind::kBurstCount, kStartMs + 10);
  records.insert(records.end(), fraud_records.begin(), fraud_records.end());

  const std::vector<SeenTransaction> seen = ReadTransactions(records);
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].id, static_cast<int64_t>(i) + 1);
  }
}

// ---- Snapshot ----

TEST(SnapshotTest, CoversEveryUserOnce) {
  const GeneratorOptions options = Options(11, 300);
  TrafficGenerator generator(options);
  const std::vector<CdcRecord> records = generator.UserSnapshot(kStartMs);
  ASSERT_EQ(records.size(), 300u);

  simdjson::dom::parser parser;
  std::set<std::string> usernames;
  for (size_t i = 0; i < records.size(); ++i) {
    SCOPED_TRACE(i);
    ExpectEnvelope(records[i], options);
    EXPECT_EQ(std::string_view(parser.parse(*records[i].value)["op"]), "r");
    simdjson::dom::object row = parser.parse(*records[i].value)["after"];
    EXPECT_EQ(double(row["ID"]), static_cast<double>(i + 1));

    const std::string username = StringOf(row["USERNAME"]);
    const std::string email = StringOf(row["EMAIL"]);
    EXPECT_TRUE(usernames.insert(username).second) << "duplicate " << username;
    EXPECT_EQ(email.substr(0, username.size() + 1), username + "@");
    EXPECT_NE(email.find("@example."), std::string::npos) << email;
    EXPECT_EQ(std::string_view(row["PASSWORD"]).substr(0, 21), "pbkdf2_sha256$600000$");
    EXPECT_EQ(double(row["IS_ACTIVE"]), 1.0);
    EXPECT_LT(double(row["DATE_JOINED"]), static_cast<double>(kStartMs));
  }
}

TEST(SnapshotTest, NamesIncludeNonAscii) {
  TrafficGenerator generator(Options(11, 300));
  simdjson::dom::parser parser;
  int non_ascii = 0;
  for (const CdcRecord& record : generator.UserSnapshot(kStartMs)) {
    simdjson::dom::object row = parser.parse(*record.value)["after"];
    const std::string name = StringOf(row["FIRST_NAME"]) + " " + StringOf(row["LAST_NAME"]);
    non_ascii += std::any_of(name.begin(), name.end(),
                             [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  }
  EXPECT_GT(non_ascii, 0);
}

// ---- Normal traffic ----

// 10 transactions a second over 1000 accounts for 30 minutes, close to the max rate
// that normal traffic supports, with a fraud injected every 5 minutes.
TEST(NormalTrafficTest, StaysUnderFraudLimits) {
  TrafficGenerator generator(Options(21, 1000));
  std::vector<CdcRecord> normal_records;
  std::map<int64_t, int64_t> fraud_account_since_ms;
  const int64_t end_ms = kStartMs + 30 * 60 * 1000;
  for (int64_t now_ms = kStartMs; now_ms < end_ms; now_ms += 100) {
    if ((now_ms - kStartMs) % (5 * 60 * 1000) == 0) {
      auto [records, fraud] = generator.InjectFraud(FraudKind::kForeignIp, now_ms);
      fraud_account_since_ms[fraud.account_id] = now_ms;
    }
    normal_records.push_back(generator.NormalTransaction(now_ms));
  }

  std::map<int64_t, std::vector<SeenTransaction>> by_account;
  for (const SeenTransaction& seen : ReadTransactions(normal_records)) {
    EXPECT_TRUE(Contains(TrafficGenerator::AllowedIpAddresses(), seen.ip_address));
    by_account[seen.account_id].push_back(seen);
  }

  for (const auto& [account_id, transactions] : by_account) {
    SCOPED_TRACE(account_id);
    const auto fraud = fraud_account_since_ms.find(account_id);
    if (fraud != fraud_account_since_ms.end()) {
      EXPECT_LT(transactions.back().received_at_ms, fraud->second);
    }
    // Each window ends at a transaction and reaches 10 minutes back, inclusive.
    size_t first = 0;
    double sum = 0;
    for (size_t last = 0; last < transactions.size(); ++last) {
      sum += transactions[last].amount;
      while (transactions[first].received_at_ms < transactions[last].received_at_ms - kWindowMs) {
        sum -= transactions[first].amount;
        ++first;
      }
      EXPECT_LE(last - first + 1, kCountLimit) << "at " << transactions[last].received_at_ms;
      EXPECT_LE(sum, kSumLimit + 1e-6) << "at " << transactions[last].received_at_ms;
    }
  }
}

TEST(NormalTrafficTest, ThrowsWhenNoAccountQualifies) {
  TrafficGenerator generator(Options(2, 3));
  int created = 0;
  try {
    for (; created < 100; ++created) {
      generator.NormalTransaction(kStartMs);
    }
    FAIL() << "100 transactions at one instant from 3 accounts did not throw";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("rate is too high"), std::string::npos)
        << error.what();
  }
  EXPECT_LE(created, 3 * static_cast<int>(kCountLimit));
}

TEST(NormalTrafficTest, SkipsDeletedUser) {
  TrafficGenerator generator(Options(4, 20));
  generator.DeleteUser(5, kStartMs);
  for (int i = 0; i < 500; ++i) {
    generator.NormalTransaction(kStartMs + i * 10000);
    EXPECT_NE(generator.last_transaction().account_id, 5);
  }
}

// ---- Fraud ----

TEST(FraudTest, EachKindTripsOnlyItsRule) {
  for (uint64_t seed = 1; seed <= 25; ++seed) {
    SCOPED_TRACE(seed);
    const RuleHits burst_count = EvaluateRules(InjectInto(seed, FraudKind::kBurstCount));
    EXPECT_TRUE(burst_count.count);
    EXPECT_FALSE(burst_count.sum);
    EXPECT_FALSE(burst_count.large);
    EXPECT_FALSE(burst_count.foreign_ip);

    const RuleHits burst_amount = EvaluateRules(InjectInto(seed, FraudKind::kBurstAmount));
    EXPECT_FALSE(burst_amount.count);
    EXPECT_TRUE(burst_amount.sum);
    EXPECT_FALSE(burst_amount.large);
    EXPECT_FALSE(burst_amount.foreign_ip);

    const RuleHits large_amount = EvaluateRules(InjectInto(seed, FraudKind::kLargeAmount));
    EXPECT_FALSE(large_amount.count);
    EXPECT_TRUE(large_amount.sum);  // one transaction over 1000 is also a sum over 1000
    EXPECT_TRUE(large_amount.large);
    EXPECT_FALSE(large_amount.foreign_ip);

    const RuleHits foreign_ip = EvaluateRules(InjectInto(seed, FraudKind::kForeignIp));
    EXPECT_FALSE(foreign_ip.count);
    EXPECT_FALSE(foreign_ip.sum);
    EXPECT_FALSE(foreign_ip.large);
    EXPECT_TRUE(foreign_ip.foreign_ip);
  }
}

TEST(FraudTest, BurstCountIsElevenSmallTransactions) {
  for (uint64_t seed = 1; seed <= 25; ++seed) {
    SCOPED_TRACE(seed);
    const std::vector<SeenTransaction> seen = InjectInto(seed, FraudKind::kBurstCount);
    EXPECT_EQ(seen.size(), 11u);
    EXPECT_LE(SumAmounts(seen), 550.0);
    for (const SeenTransaction& transaction : seen) {
      EXPECT_GE(transaction.amount, 0.25);
      EXPECT_LE(transaction.amount, 50.0);
    }
  }
}

TEST(FraudTest, BurstAmountExceedsSumOnLastTransaction) {
  for (uint64_t seed = 1; seed <= 25; ++seed) {
    SCOPED_TRACE(seed);
    const std::vector<SeenTransaction> seen = InjectInto(seed, FraudKind::kBurstAmount);
    ASSERT_FALSE(seen.empty());
    EXPECT_LE(seen.size(), kCountLimit);
    const double sum = SumAmounts(seen);
    EXPECT_GT(sum, kSumLimit);
    EXPECT_LE(sum - seen.back().amount, kSumLimit);
    for (const SeenTransaction& transaction : seen) {
      EXPECT_GE(transaction.amount, 50.0);
      EXPECT_LE(transaction.amount, 1000.0);
    }
  }
}

TEST(FraudTest, LargeAmountIsOneTransaction) {
  for (uint64_t seed = 1; seed <= 25; ++seed) {
    SCOPED_TRACE(seed);
    const std::vector<SeenTransaction> seen = InjectInto(seed, FraudKind::kLargeAmount);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_GE(seen[0].amount, 1000.01);
    EXPECT_LE(seen[0].amount, 1050.0);
  }
}

TEST(FraudTest, ForeignIpUsesBlockedAddress) {
  for (uint64_t seed = 1; seed <= 25; ++seed) {
    SCOPED_TRACE(seed);
    const std::vector<SeenTransaction> seen = InjectInto(seed, FraudKind::kForeignIp);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_TRUE(Contains(TrafficGenerator::BlockedIpAddresses(), seen[0].ip_address));
    EXPECT_GE(seen[0].amount, 0.25);
    EXPECT_LE(seen[0].amount, 50.0);
  }
}

TEST(FraudTest, OnlyForeignIpUsesBlockedAddresses) {
  std::vector<CdcRecord> records = RunScript(9);
  std::vector<CdcRecord> transactions;
  std::copy_if(records.begin(), records.end(), std::back_inserter(transactions),
               [](const CdcRecord& record) { return record.topic == "fd.USER_TRANSACTION"; });
  int blocked = 0;
  for (const SeenTransaction& seen : ReadTransactions(transactions)) {
    blocked += Contains(TrafficGenerator::BlockedIpAddresses(), seen.ip_address);
  }
  EXPECT_EQ(blocked, 1);  // the script injects one foreign-IP fraud
}

TEST(FraudTest, RecordsMatchInjectedFraud) {
  TrafficGenerator generator(Options(13, 100));
  auto [records, fraud] =
      generator.InjectFraud(FraudKind::kBurstAmount, kStartMs, std::nullopt, 2500);
  const std::vector<SeenTransaction> seen = ReadTransactions(records);

  EXPECT_EQ(fraud.kind, FraudKind::kBurstAmount);
  ASSERT_EQ(seen.size(), fraud.transactions.size());
  for (size_t i = 0; i < seen.size(); ++i) {
    SCOPED_TRACE(i);
    const int64_t expected_ms = kStartMs + static_cast<int64_t>(i) * 2500;
    EXPECT_EQ(records[i].timestamp_ms, expected_ms);
    EXPECT_EQ(seen[i].received_at_ms, expected_ms);
    EXPECT_EQ(seen[i].id, fraud.transactions[i].id);
    EXPECT_EQ(seen[i].account_id, fraud.account_id);
    EXPECT_EQ(fraud.transactions[i].account_id, fraud.account_id);
    EXPECT_EQ(seen[i].amount, fraud.transactions[i].amount);
    EXPECT_EQ(seen[i].ip_address, fraud.transactions[i].ip_address);
  }
  EXPECT_EQ(fraud.total_amount, SumAmounts(seen));
  EXPECT_EQ(generator.last_transaction().id, fraud.transactions.back().id);
}

TEST(FraudTest, PicksAccountWithoutRecentTraffic) {
  TrafficGenerator generator(Options(17, 80));
  std::map<int64_t, std::vector<int64_t>> normal_ms_by_account;
  int64_t now_ms = kStartMs;
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 100; ++i) {
      now_ms += 1000;
      generator.NormalTransaction(now_ms);
      normal_ms_by_account[generator.last_transaction().account_id].push_back(now_ms);
    }
    auto [records, fraud] = generator.InjectFraud(FraudKind::kLargeAmount, now_ms);
    for (const int64_t at_ms : normal_ms_by_account[fraud.account_id]) {
      EXPECT_LT(at_ms, now_ms - kWindowMs) << "account " << fraud.account_id;
    }
  }
}

// At 10 transactions a second nearly every account has recent traffic, so this relies
// on the accounts that normal traffic leaves alone.
TEST(FraudTest, FindsQuietAccountUnderHeavyTraffic) {
  TrafficGenerator generator(Options(23, 1000));
  std::map<int64_t, int64_t> latest_normal_ms;
  const FraudKind kinds[] = {FraudKind::kBurstCount, FraudKind::kBurstAmount,
                             FraudKind::kLargeAmount, FraudKind::kForeignIp};
  int injected = 0;
  const int64_t end_ms = kStartMs + 30 * 60 * 1000;
  for (int64_t now_ms = kStartMs; now_ms < end_ms; now_ms += 100) {
    if ((now_ms - kStartMs) % 30000 == 0) {
      auto [records, fraud] = generator.InjectFraud(kinds[injected % 4], now_ms);
      ++injected;
      const auto latest = latest_normal_ms.find(fraud.account_id);
      if (latest != latest_normal_ms.end()) {
        EXPECT_LT(latest->second, now_ms - kWindowMs) << "account " << fraud.account_id;
      }
    }
    generator.NormalTransaction(now_ms);
    latest_normal_ms[generator.last_transaction().account_id] = now_ms;
  }
  EXPECT_EQ(injected, 60);
}

TEST(FraudTest, UsesGivenAccount) {
  TrafficGenerator generator(Options(17, 80));
  auto [records, fraud] = generator.InjectFraud(FraudKind::kBurstCount, kStartMs, 42);
  EXPECT_EQ(fraud.account_id, 42);
  for (const SeenTransaction& seen : ReadTransactions(records)) {
    EXPECT_EQ(seen.account_id, 42);
  }
  for (int i = 0; i < 300; ++i) {
    generator.NormalTransaction(kStartMs + i * 1000);
    EXPECT_NE(generator.last_transaction().account_id, 42);
  }
}

TEST(FraudTest, RejectsInvalidArguments) {
  TrafficGenerator generator(Options(17, 80));
  EXPECT_THROW(generator.InjectFraud(FraudKind::kLargeAmount, kStartMs, 0), std::invalid_argument);
  EXPECT_THROW(generator.InjectFraud(FraudKind::kLargeAmount, kStartMs, 81),
               std::invalid_argument);
  EXPECT_THROW(generator.InjectFraud(FraudKind::kBurstCount, kStartMs, std::nullopt, -1),
               std::invalid_argument);
}

TEST(FraudTest, ThrowsWhenNoAccountIsFree) {
  TrafficGenerator generator(Options(17, 2));
  generator.InjectFraud(FraudKind::kLargeAmount, kStartMs);
  generator.InjectFraud(FraudKind::kLargeAmount, kStartMs);
  EXPECT_THROW(generator.InjectFraud(FraudKind::kLargeAmount, kStartMs), std::runtime_error);
}

// ---- User changes ----

TEST(UserChangeTest, UpdateSetsLastLogin) {
  const GeneratorOptions options = Options(19, 50);
  TrafficGenerator generator(options);
  const std::map<int64_t, std::string> snapshot = SnapshotRows(generator.UserSnapshot(kStartMs));
  const int64_t login_ms = kStartMs + 60000;
  const CdcRecord record = generator.UpdateUser(12, login_ms);
  ExpectEnvelope(record, options);
  ExpectKey(record, 12);
  EXPECT_EQ(record.timestamp_ms, login_ms);

  simdjson::dom::parser parser;
  simdjson::dom::object envelope = parser.parse(*record.value);
  EXPECT_EQ(std::string_view(envelope["op"]), "u");
  EXPECT_EQ(simdjson::minify(envelope["before"]), snapshot.at(12));
  simdjson::dom::object before = envelope["before"];
  simdjson::dom::object after = envelope["after"];
  EXPECT_EQ(double(after["LAST_LOGIN"]), static_cast<double>(login_ms));
  for (auto field : after) {
    if (field.key != "LAST_LOGIN") {
      EXPECT_EQ(simdjson::minify(field.value), simdjson::minify(before[field.key])) << field.key;
    }
  }
}

TEST(UserChangeTest, DeleteEmitsRowThenTombstone) {
  const GeneratorOptions options = Options(19, 50);
  TrafficGenerator generator(options);
  generator.UserSnapshot(kStartMs);
  const CdcRecord update = generator.UpdateUser(9, kStartMs + 1000);
  const std::vector<CdcRecord> records = generator.DeleteUser(9, kStartMs + 2000);
  ASSERT_EQ(records.size(), 2u);

  ExpectEnvelope(records[0], options);
  ExpectKey(records[0], 9);
  EXPECT_EQ(records[0].topic, options.user_topic);
  EXPECT_EQ(records[0].timestamp_ms, kStartMs + 2000);
  simdjson::dom::parser parser;
  const std::string current_row = simdjson::minify(parser.parse(*update.value)["after"]);
  simdjson::dom::object envelope = parser.parse(*records[0].value);
  EXPECT_EQ(std::string_view(envelope["op"]), "d");
  EXPECT_EQ(simdjson::minify(envelope["before"]), current_row);
  EXPECT_EQ(TypeOf(envelope["after"]), element_type::NULL_VALUE);

  EXPECT_EQ(records[1].topic, options.user_topic);
  EXPECT_EQ(records[1].key, records[0].key);
  EXPECT_FALSE(records[1].value.has_value());
  EXPECT_EQ(records[1].timestamp_ms, kStartMs + 2000);
}

TEST(UserChangeTest, DeletedUserIsGone) {
  TrafficGenerator generator(Options(19, 50));
  generator.DeleteUser(9, kStartMs);
  EXPECT_THROW(generator.UpdateUser(9, kStartMs), std::invalid_argument);
  EXPECT_THROW(generator.DeleteUser(9, kStartMs), std::invalid_argument);
  const std::map<int64_t, std::string> snapshot = SnapshotRows(generator.UserSnapshot(kStartMs));
  EXPECT_EQ(snapshot.size(), 49u);
  EXPECT_EQ(snapshot.count(9), 0u);
}

TEST(UserChangeTest, RejectsUnknownUser) {
  TrafficGenerator generator(Options(19, 50));
  EXPECT_THROW(generator.UpdateUser(0, kStartMs), std::invalid_argument);
  EXPECT_THROW(generator.UpdateUser(51, kStartMs), std::invalid_argument);
  EXPECT_THROW(generator.DeleteUser(51, kStartMs), std::invalid_argument);
}

// `fsql gen` with its defaults (5000 users, 20 transactions a second, a fraud
// every 5 seconds cycling through the kinds) must run for an hour without
// running out of accounts under the normal limits.
TEST(NormalTrafficTest, GenDefaultsLastAnHour) {
  TrafficGenerator generator(Options(42, 5000));
  const int64_t start = kStartMs;
  generator.UserSnapshot(start);
  const FraudKind kinds[] = {FraudKind::kBurstCount, FraudKind::kBurstAmount, FraudKind::kLargeAmount,
                             FraudKind::kForeignIp};
  size_t next_kind = 0;
  for (int64_t at = start; at < start + 3'600'000; at += 50) {
    ASSERT_NO_THROW(generator.NormalTransaction(at)) << "at " << (at - start) << " ms";
    if ((at - start) % 5000 == 0) {
      ASSERT_NO_THROW(generator.InjectFraud(kinds[next_kind++ % 4], at)) << "at " << (at - start) << " ms";
    }
  }
}

}  // namespace
}  // namespace fsql::traffic
