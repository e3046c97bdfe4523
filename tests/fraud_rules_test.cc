// The rule files in rules/ run in memory against hand-written CDC records, and
// their changelogs match what Flink emits for the same input.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "tests/rule_harness.h"

namespace fsql::testing {
namespace {

const std::string kRules = FSQL_SOURCE_DIR "/rules";
constexpr int64_t kT0 = 1'767'225'600'000;  // 2026-01-01 00:00:00 UTC

std::string Transaction(int64_t id, int64_t account, double amount, int64_t at, const std::string& ip = "192.0.2.10") {
  return fmt::format(R"({{"ID":{}.0,"AMOUNT":{},"RECEIVED_AT":{}.0,"IP_ADDRESS":"{}","ACCOUNT_ID":{}.0}})", id, amount,
                     at, ip, account);
}

std::string User(int64_t id, const std::string& name) {
  return fmt::format(R"({{"ID":{0},"PASSWORD":"x","LAST_LOGIN":null,"IS_SUPERUSER":0,"USERNAME":"{1}",)"
                     R"("FIRST_NAME":"F","LAST_NAME":"L","EMAIL":"{1}@example.com","IS_STAFF":0,"IS_ACTIVE":1,)"
                     R"("DATE_JOINED":0}})",
                     id, name);
}

std::string UserKey(int64_t id) { return fmt::format(R"({{"ID":{}}})", id); }

std::string Envelope(const std::string& op, const std::string& before, const std::string& after) {
  return fmt::format(R"({{"before":{},"after":{},"op":"{}","ts_ms":1,"source":{{"table":"T"}}}})", before, after, op);
}

std::string Timestamp(int64_t millis) { return FormatTimestampMillis(millis, 3); }

class FlaggedUserTest : public ::testing::Test {
 protected:
  FlaggedUserTest() : harness_({kRules}, "flagged-user-detection") {
    harness_.Push("auth_user", User(7, "ada"), kT0 - 1000, UserKey(7));
    harness_.Push("auth_user", User(8, "bob"), kT0 - 1000, UserKey(8));
  }

  void Transact(int64_t id, int64_t account, double amount, int64_t at) {
    harness_.Push("user_transaction", Transaction(id, account, amount, at), at);
  }

  RuleHarness harness_;
};

TEST_F(FlaggedUserTest, BurstCountFlagsEleventhTransaction) {
  for (int i = 0; i < 11; ++i) Transact(100 + i, 7, 10.0, kT0 + i);
  EXPECT_TRUE(harness_.Output().empty()) << "rows must wait for the watermark";
  harness_.Watermark(kT0 + 100);
  std::vector<std::string> expected = {
      fmt::format("+I[7, ada, ada@example.com, 110, 11, {}]", Timestamp(kT0 + 10))};
  EXPECT_EQ(harness_.Output(), expected);
}

TEST_F(FlaggedUserTest, TenTransactionsDoNotFlag) {
  for (int i = 0; i < 10; ++i) Transact(100 + i, 7, 99.0, kT0 + i);
  harness_.Watermark(kT0 + 100);
  EXPECT_TRUE(harness_.Output().empty());
}

TEST_F(FlaggedUserTest, BurstAmountUpdatesLatestRow) {
  Transact(1, 8, 600.0, kT0);
  Transact(2, 8, 350.0, kT0 + 1000);
  Transact(3, 8, 100.5, kT0 + 2000);
  harness_.Watermark(kT0 + 5000);
  std::vector<std::string> expected = {
      fmt::format("+I[8, bob, bob@example.com, 1050.5, 3, {}]", Timestamp(kT0 + 2000)),
  };
  EXPECT_EQ(harness_.Output(), expected);

  Transact(4, 8, 20.0, kT0 + 6000);
  harness_.Watermark(kT0 + 7000);
  expected.push_back(fmt::format("-U[8, bob, bob@example.com, 1050.5, 3, {}]", Timestamp(kT0 + 2000)));
  expected.push_back(fmt::format("+U[8, bob, bob@example.com, 1070.5, 4, {}]", Timestamp(kT0 + 6000)));
  EXPECT_EQ(harness_.Output(), expected);
}

TEST_F(FlaggedUserTest, WindowForgetsTransactionsAfterTenMinutes) {
  for (int i = 0; i < 6; ++i) Transact(10 + i, 7, 100.0, kT0 + i);
  for (int i = 0; i < 6; ++i) Transact(20 + i, 7, 100.0, kT0 + 600'001 + i);
  harness_.Watermark(kT0 + 700'000);
  EXPECT_TRUE(harness_.Output().empty());
}

TEST_F(FlaggedUserTest, FrameIncludesRowExactlyTenMinutesOld) {
  Transact(1, 7, 600.0, kT0);
  Transact(2, 7, 500.0, kT0 + 600'000);
  harness_.Watermark(kT0 + 700'000);
  ASSERT_EQ(harness_.Output().size(), 1u);
  EXPECT_EQ(harness_.Output()[0], fmt::format("+I[7, ada, ada@example.com, 1100, 2, {}]", Timestamp(kT0 + 600'000)));
}

TEST_F(FlaggedUserTest, EqualTimesShareTheAggregate) {
  for (int i = 0; i < 11; ++i) Transact(100 + i, 7, 1.0, kT0);
  harness_.Watermark(kT0 + 1);
  // All 11 rows have count 11; the first of them stays the latest row, so only one +I.
  std::vector<std::string> expected = {fmt::format("+I[7, ada, ada@example.com, 11, 11, {}]", Timestamp(kT0))};
  EXPECT_EQ(harness_.Output(), expected);
}

TEST_F(FlaggedUserTest, LateTransactionIsDropped) {
  harness_.Watermark(kT0 + 1000);
  Transact(1, 7, 5000.0, kT0 + 500);
  harness_.Watermark(kT0 + 2000);
  EXPECT_TRUE(harness_.Output().empty());
}

TEST_F(FlaggedUserTest, UnknownUserIsNotFlagged) {
  Transact(1, 99, 5000.0, kT0);
  harness_.Watermark(kT0 + 1000);
  EXPECT_TRUE(harness_.Output().empty());
}

TEST_F(FlaggedUserTest, UserUpdateRetractsAndReemits) {
  Transact(1, 7, 5000.0, kT0);
  harness_.Watermark(kT0 + 1000);
  harness_.Push("auth_user", User(7, "ada2"), kT0 + 2000, UserKey(7));
  std::vector<std::string> expected = {
      fmt::format("+I[7, ada, ada@example.com, 5000, 1, {}]", Timestamp(kT0)),
      fmt::format("-D[7, ada, ada@example.com, 5000, 1, {}]", Timestamp(kT0)),
      fmt::format("+I[7, ada2, ada2@example.com, 5000, 1, {}]", Timestamp(kT0)),
  };
  EXPECT_EQ(harness_.Output(), expected);
}

TEST_F(FlaggedUserTest, UserTombstoneDeletesFlaggedRow) {
  Transact(1, 7, 5000.0, kT0);
  harness_.Watermark(kT0 + 1000);
  harness_.Push("auth_user", std::nullopt, kT0 + 2000, UserKey(7));
  std::vector<std::string> expected = {
      fmt::format("+I[7, ada, ada@example.com, 5000, 1, {}]", Timestamp(kT0)),
      fmt::format("-D[7, ada, ada@example.com, 5000, 1, {}]", Timestamp(kT0)),
  };
  EXPECT_EQ(harness_.Output(), expected);
}

TEST_F(FlaggedUserTest, UserArrivingLaterJoinsEarlierFlag) {
  Transact(1, 9, 2000.0, kT0);
  harness_.Watermark(kT0 + 1000);
  EXPECT_TRUE(harness_.Output().empty());
  harness_.Push("auth_user", User(9, "cy"), kT0 + 2000, UserKey(9));
  std::vector<std::string> expected = {fmt::format("+I[9, cy, cy@example.com, 2000, 1, {}]", Timestamp(kT0))};
  EXPECT_EQ(harness_.Output(), expected);
}

TEST(UserTransactionCleaningTest, UnwrapsAfterRow) {
  RuleHarness harness({kRules}, "user-transaction-cleaning");
  harness.Push("fd.USER_TRANSACTION", Envelope("c", "null", Transaction(5, 7, 12.5, kT0)), kT0);
  harness.Push("fd.USER_TRANSACTION", Envelope("r", "null", Transaction(6, 8, 0.25, kT0)), kT0);
  std::vector<std::string> expected = {"+I[5, 12.5, " + std::to_string(kT0) + ", 192.0.2.10, 7]",
                                       "+I[6, 0.25, " + std::to_string(kT0) + ", 192.0.2.10, 8]"};
  EXPECT_EQ(harness.Output(), expected);
}

TEST(UserTransactionCleaningTest, TombstoneIsSkipped) {
  RuleHarness harness({kRules}, "user-transaction-cleaning");
  harness.Push("fd.USER_TRANSACTION", std::nullopt, kT0, R"({"ID":5.0})");
  EXPECT_TRUE(harness.Output().empty());
}

TEST(UserTransactionCleaningTest, BadRecordsNameTheProblem) {
  RuleHarness harness({kRules}, "user-transaction-cleaning");
  struct Case {
    std::string value;
    std::string expected;
  };
  std::vector<Case> cases = {
      {"{not json", "value is not valid JSON"},
      {"[1,2]", "value is not a JSON object"},
      {Envelope("c", "null", "null"), "op 'c' envelope has no 'after' row"},
      {Envelope("d", Transaction(1, 1, 1, 1), "null"), "set it to 'retract'"},
      {Envelope("x", "null", Transaction(1, 1, 1, 1)), "unknown Debezium op 'x'"},
      {Envelope("c", "null", R"({"ID":"seven"})"), "field 'after.ID' is a string (\"seven\"), expected BIGINT"},
      {Envelope("c", "null", R"({"ID":7.5})"), "field 'after.ID' is a number (7.5), expected BIGINT"},
  };
  for (const auto& c : cases) {
    try {
      harness.Push("fd.USER_TRANSACTION", c.value, kT0);
      ADD_FAILURE() << "no error for " << c.value;
    } catch (const RecordError& error) {
      EXPECT_NE(std::string(error.what()).find(c.expected), std::string::npos) << error.what();
      EXPECT_NE(std::string(error.what()).find("fd.USER_TRANSACTION/0@"), std::string::npos) << error.what();
    }
  }
}

TEST(AuthUserCleaningTest, AppliesUpdatesAndDeletes) {
  RuleHarness harness({kRules}, "auth-user-cleaning");
  std::string v1 = User(7, "ada");
  std::string v2 = User(7, "ada2");
  harness.Push("fd.AUTH_USER", Envelope("r", "null", v1), kT0);
  harness.Push("fd.AUTH_USER", Envelope("u", v1, v2), kT0 + 1);
  harness.Push("fd.AUTH_USER", Envelope("d", v2, "null"), kT0 + 2);
  harness.Push("fd.AUTH_USER", std::nullopt, kT0 + 2, UserKey(7));
  std::vector<std::string> out = harness.Output();
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].substr(0, 14), "+I[7, x, NULL,");
  EXPECT_NE(out[1].find("-U[7"), std::string::npos);
  EXPECT_NE(out[1].find("ada@example.com"), std::string::npos);
  EXPECT_NE(out[2].find("+U[7"), std::string::npos);
  EXPECT_NE(out[2].find("ada2@example.com"), std::string::npos);
  EXPECT_NE(out[3].find("-D[7"), std::string::npos);
  EXPECT_NE(out[3].find("ada2@example.com"), std::string::npos);
}

TEST(ForeignIpTest, FlagsOnlyAddressesOutsideAllowList) {
  RuleHarness harness({kRules}, "foreign-ip-detection");
  harness.Push("user_transaction", Transaction(1, 7, 10.0, kT0, "192.0.2.15"), kT0);
  harness.Push("user_transaction", Transaction(2, 7, 10.0, kT0, "203.0.113.12"), kT0 + 3000);
  harness.Push("user_transaction", Transaction(3, 7, 10.0, kT0, "198.51.100.19"), kT0);
  std::vector<std::string> out = harness.Output();
  ASSERT_EQ(out.size(), 1u);
  // DETECTED_AT is the processing time, here the record time kT0 + 3000, so detection took 3 seconds.
  EXPECT_EQ(out[0], fmt::format("+I[2, 7, 10, 203.0.113.12, {}, {}, 3]", Timestamp(kT0), Timestamp(kT0 + 3000)));
}

}  // namespace
}  // namespace fsql::testing
