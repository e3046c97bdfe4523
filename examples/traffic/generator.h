// Synthetic traffic for the fraud demo: Debezium-style CDC envelopes for the
// bank's AUTH_USER and USER_TRANSACTION tables, with injected fraud.
//
// The generator is deterministic for a seed and does not depend on Kafka: it
// returns records, and the caller writes them wherever it likes.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace fsql::traffic {

/// One record to write: the topic, the Debezium key and value JSON, and the
/// Kafka message timestamp. A value of nullopt is a tombstone.
struct CdcRecord {
  std::string topic;
  std::string key;
  std::optional<std::string> value;
  int64_t timestamp_ms = 0;
};

/// The four fraud kinds of the reference demo.
enum class FraudKind {
  kBurstCount,   // 11 small transactions from one account
  kBurstAmount,  // transactions of 50..1000 until the account's sum exceeds 1000
  kLargeAmount,  // one transaction of 1000.01..1050
  kForeignIp,    // one normal-sized transaction from a blocked IP address
};

const char* FraudKindName(FraudKind kind);
/// Parses "burst-count", "burst-amount", "large-amount" or "foreign-ip".
std::optional<FraudKind> ParseFraudKind(const std::string& name);

/// A transaction as the generator created it, for tests to compare against.
struct Transaction {
  int64_t id = 0;
  int64_t account_id = 0;
  double amount = 0;
  int64_t received_at_ms = 0;
  std::string ip_address;
};

/// The expected downstream effect of one injected fraud.
struct InjectedFraud {
  FraudKind kind;
  int64_t account_id = 0;
  std::vector<Transaction> transactions;
  double total_amount = 0;  // sum of `transactions`
};

struct GeneratorOptions {
  uint64_t seed = 42;
  int user_count = 1000;
  std::string user_topic = "fd.AUTH_USER";
  std::string transaction_topic = "fd.USER_TRANSACTION";
};

class TrafficGenerator {
 public:
  explicit TrafficGenerator(GeneratorOptions options);

  /// The IP addresses normal traffic comes from; the foreign-IP rule allows exactly these.
  static const std::vector<std::string>& AllowedIpAddresses();
  /// Addresses that foreign-IP fraud comes from; none is in AllowedIpAddresses().
  static const std::vector<std::string>& BlockedIpAddresses();

  /// A snapshot ('r') envelope for every user, ids 1..user_count, except deleted ones.
  /// The first call that needs users fixes their DATE_JOINED and LAST_LOGIN relative
  /// to its `now_ms`.
  std::vector<CdcRecord> UserSnapshot(int64_t now_ms);

  /// One normal transaction ('c') at `now_ms`. Normal traffic never puts an account
  /// over 10 transactions or a sum of 1000 within any 10-minute window, and never
  /// uses an account that fraud was injected into. It also skips accounts whose id is
  /// a multiple of 10, so InjectFraud finds an account without recent traffic at any rate.
  /// Throws std::runtime_error when no account qualifies, because the rate is too
  /// high for the user count.
  CdcRecord NormalTransaction(int64_t now_ms);

  /// Injects one fraud of `kind`, into `account_id` or, when it is nullopt, into an
  /// account without recent traffic. The transactions are `spacing_ms` apart
  /// starting at `now_ms`. Throws std::invalid_argument for an account outside
  /// 1..user_count or a negative spacing, and std::runtime_error when no account
  /// without recent traffic is left.
  std::pair<std::vector<CdcRecord>, InjectedFraud> InjectFraud(
      FraudKind kind, int64_t now_ms, std::optional<int64_t> account_id = std::nullopt,
      int64_t spacing_ms = 1);

  /// An update ('u') of one user's LAST_LOGIN, and a delete ('d') followed by a tombstone.
  /// Both throw std::invalid_argument for an id outside 1..user_count or a deleted user.
  CdcRecord UpdateUser(int64_t user_id, int64_t now_ms);
  std::vector<CdcRecord> DeleteUser(int64_t user_id, int64_t now_ms);

  /// The transaction most recently created by NormalTransaction or InjectFraud; id 0
  /// before the first one.
  const Transaction& last_transaction() const;

 private:
  struct User {
    int64_t id = 0;
    std::string password;
    std::optional<int64_t> last_login_ms;
    bool is_superuser = false;
    std::string username;
    std::string first_name;
    std::string last_name;
    std::string email;
    bool is_staff = false;
    int64_t date_joined_ms = 0;
  };

  /// A normal transaction that still counts towards its account's limits.
  struct RecentAmount {
    int64_t at_ms = 0;
    double amount = 0;
  };

  struct Account {
    std::deque<RecentAmount> recent;
    bool has_fraud = false;
    bool deleted = false;
  };

  void CreateUsersOnce(int64_t now_ms);
  User CreateUser(int64_t id, int64_t now_ms);
  User& ExistingUser(int64_t user_id);
  CdcRecord UserRecord(const char* op, const User* before, const User* after,
                       int64_t now_ms) const;
  static std::string UserRow(const User& user);

  bool FitsNormalLimits(const Account& account, int64_t now_ms, double amount) const;
  bool IsFreeForFraud(const Account& account, int64_t now_ms) const;
  template <typename Predicate>
  std::optional<int64_t> PickAccount(Predicate is_eligible);
  int64_t PickFraudAccount(int64_t now_ms);
  std::vector<double> DrawFraudAmounts(FraudKind kind);
  void RecordNormalAmount(Account& account, int64_t at_ms, double amount);
  CdcRecord CreateTransaction(int64_t account_id, double amount, int64_t at_ms,
                              const std::string& ip_address);

  GeneratorOptions options_;
  // Transactions and users draw from separate streams, so whether and when the caller
  // takes a snapshot does not change the transactions.
  std::mt19937_64 transaction_rng_;
  std::mt19937_64 user_rng_;
  std::vector<User> users_;        // index = id - 1; empty until a call needs users
  std::vector<Account> accounts_;  // index = account id - 1
  int64_t next_transaction_id_ = 1;
  int64_t latest_normal_ms_ = INT64_MIN;
  Transaction last_transaction_;
};

}  // namespace fsql::traffic
