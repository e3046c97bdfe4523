#include "examples/traffic/generator.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

#include "runtime/common/error.h"
#include "runtime/formats/json_format.h"

namespace fsql::traffic {
namespace {

constexpr int64_t kWindowMs = 10 * 60 * 1000;

// Normal traffic stays well below the fraud rules (more than 10 transactions or a sum
// over 1000 within 10 minutes), so a rule with an off-by-one window still stays silent.
constexpr int kMaxNormalCount = 8;
constexpr double kMaxNormalSum = 500.0;

constexpr int kBurstCount = 11;
constexpr double kFraudSumLimit = 1000.0;
// Burst-amount fraud exceeds the sum within this many transactions, so it never
// also trips the count rule.
constexpr size_t kMaxBurstAmountCount = 10;

// Normal traffic skips accounts whose id is a multiple of this, so fraud finds an account
// without recent traffic even when normal traffic reaches every other account.
constexpr int64_t kFraudReserveEvery = 10;

// Random draws before PickAccount falls back to scanning every account.
constexpr int kRandomPickAttempts = 64;

constexpr int64_t kDayMs = 24 * 60 * 60 * 1000;
// Debezium stamps source.ts_ms when the database committed, a little before ts_ms.
constexpr int64_t kCommitLagMs = 5;

constexpr const char* kTransactionTable = "USER_TRANSACTION";
constexpr const char* kUserTable = "AUTH_USER";

struct Name {
  const char* display;
  const char* ascii;  // for usernames and e-mail addresses
};

constexpr Name kFirstNames[] = {
    {"James", "james"},     {"Mary", "mary"},       {"Olivia", "olivia"},
    {"Liam", "liam"},       {"Emma", "emma"},       {"Noah", "noah"},
    {"Ava", "ava"},         {"Lucas", "lucas"},     {"Sofia", "sofia"},
    {"Mateo", "mateo"},     {"Amelia", "amelia"},   {"Ethan", "ethan"},
    {"Mia", "mia"},         {"Elijah", "elijah"},   {"Harper", "harper"},
    {"Oliver", "oliver"},   {"Isla", "isla"},       {"Henry", "henry"},
    {"Grace", "grace"},     {"Samuel", "samuel"},   {"Hannah", "hannah"},
    {"Daniel", "daniel"},   {"Aisha", "aisha"},     {"Omar", "omar"},
    {"Priya", "priya"},     {"Arjun", "arjun"},     {"Mei", "mei"},
    {"Kenji", "kenji"},     {"José", "jose"},       {"Zoë", "zoe"},
    {"Łukasz", "lukasz"},   {"Søren", "soren"},     {"Françoise", "francoise"},
    {"Björn", "bjorn"},     {"Chloé", "chloe"},     {"Yuki", "yuki"},
};

constexpr Name kLastNames[] = {
    {"Smith", "smith"},       {"Johnson", "johnson"},   {"Williams", "williams"},
    {"Brown", "brown"},       {"Jones", "jones"},       {"Miller", "miller"},
    {"Davis", "davis"},       {"Wilson", "wilson"},     {"Taylor", "taylor"},
    {"Anderson", "anderson"}, {"Thomas", "thomas"},     {"Moore", "moore"},
    {"Martin", "martin"},     {"Lee", "lee"},           {"Clark", "clark"},
    {"Lewis", "lewis"},       {"Walker", "walker"},     {"Hall", "hall"},
    {"Young", "young"},       {"King", "king"},         {"Wright", "wright"},
    {"Nguyen", "nguyen"},     {"Patel", "patel"},       {"Kim", "kim"},
    {"Chen", "chen"},         {"Singh", "singh"},       {"Kowalski", "kowalski"},
    {"Rossi", "rossi"},       {"Dubois", "dubois"},     {"Silva", "silva"},
    {"García", "garcia"},     {"Müller", "muller"},     {"Nowak", "nowak"},
    {"Ødegaard", "odegaard"}, {"Núñez", "nunez"},       {"O'Brien", "obrien"},
};

constexpr const char* kEmailDomains[] = {"example.com", "example.org", "example.net"};

constexpr std::string_view kAlphanumeric =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The standard distributions differ between standard libraries, so the generator
// derives every draw from the raw 64-bit output, which the standard fixes.
uint64_t UniformBelow(std::mt19937_64& rng, uint64_t bound) {
  // Rejecting the lowest (2^64 mod bound) outputs makes the modulo unbiased.
  const uint64_t threshold = (0 - bound) % bound;
  while (true) {
    const uint64_t value = rng();
    if (value >= threshold) {
      return value % bound;
    }
  }
}

int64_t UniformInt(std::mt19937_64& rng, int64_t low, int64_t high) {
  const auto span = static_cast<uint64_t>(high - low) + 1;
  return low + static_cast<int64_t>(UniformBelow(rng, span));
}

bool DrawBool(std::mt19937_64& rng, int percent_true) {
  return UniformBelow(rng, 100) < static_cast<uint64_t>(percent_true);
}

template <typename T, size_t N>
const T& PickFrom(std::mt19937_64& rng, const T (&items)[N]) {
  return items[UniformBelow(rng, N)];
}

const std::string& PickFrom(std::mt19937_64& rng, const std::vector<std::string>& items) {
  return items[UniformBelow(rng, items.size())];
}

// Drawing whole cents keeps every amount equal to std::round(x * 100) / 100.
double UniformAmount(std::mt19937_64& rng, int64_t low_cents, int64_t high_cents) {
  return static_cast<double>(UniformInt(rng, low_cents, high_cents)) / 100.0;
}

std::string RandomChars(std::mt19937_64& rng, std::string_view alphabet, int length) {
  std::string text;
  for (int i = 0; i < length; ++i) {
    text += alphabet[UniformBelow(rng, alphabet.size())];
  }
  return text;
}

// Mimics Django's PBKDF2 hash format: algorithm, iterations, 22-character salt and the
// base64 of a 32-byte digest.
std::string FakePasswordHash(std::mt19937_64& rng) {
  const std::string salt = RandomChars(rng, kAlphanumeric, 22);
  const std::string digest = RandomChars(rng, kBase64, 43);
  return fmt::format("pbkdf2_sha256$600000${}${}=", salt, digest);
}

// The connector runs with decimal.handling.mode=double, so every NUMBER column arrives
// as a JSON number with a fraction or an exponent, even when it is integral.
std::string FormatDouble(double value) {
  FSQL_CHECK(std::isfinite(value), "JSON has no text for the double {}", value);
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".e") == std::string::npos) {
    text += ".0";
  }
  return text;
}

std::string FormatDouble(int64_t value) {
  return FormatDouble(static_cast<double>(value));
}

// Builds one compact JSON object, members in the order they are added.
class JsonObject {
 public:
  JsonObject& Double(std::string_view name, double value) {
    return Raw(name, FormatDouble(value));
  }
  JsonObject& Double(std::string_view name, int64_t value) {
    return Raw(name, FormatDouble(value));
  }
  JsonObject& DoubleOrNull(std::string_view name, std::optional<int64_t> value) {
    return Raw(name, value ? FormatDouble(*value) : "null");
  }
  JsonObject& Flag(std::string_view name, bool value) {
    return Raw(name, value ? "1.0" : "0.0");
  }
  JsonObject& Integer(std::string_view name, int64_t value) {
    return Raw(name, std::to_string(value));
  }
  JsonObject& String(std::string_view name, std::string_view value) {
    AppendName(name);
    AppendJsonString(text_, value);
    return *this;
  }
  JsonObject& Raw(std::string_view name, std::string_view json) {
    AppendName(name);
    text_ += json;
    return *this;
  }

  std::string Finish() { return text_ + '}'; }

 private:
  void AppendName(std::string_view name) {
    text_ += text_.size() == 1 ? "" : ",";
    AppendJsonString(text_, name);
    text_ += ':';
  }

  std::string text_ = "{";
};

std::string KeyJson(int64_t id) {
  return JsonObject().Double("ID", id).Finish();
}

std::string SourceJson(const char* table, int64_t now_ms) {
  return JsonObject()
      .String("version", "2.4.2.Final")
      .String("connector", "oracle")
      .String("name", "fd")
      .Integer("ts_ms", now_ms - kCommitLagMs)
      .String("db", "ORCLPDB1")
      .String("schema", "FD")
      .String("table", table)
      .Finish();
}

// `before` and `after` are row JSON, or nullopt for a JSON null.
std::string EnvelopeJson(const char* op, const std::optional<std::string>& before,
                         const std::optional<std::string>& after, const char* table,
                         int64_t now_ms) {
  return JsonObject()
      .Raw("before", before ? *before : "null")
      .Raw("after", after ? *after : "null")
      .String("op", op)
      .Integer("ts_ms", now_ms)
      .Raw("source", SourceJson(table, now_ms))
      .Finish();
}

std::string TransactionRow(const Transaction& transaction) {
  return JsonObject()
      .Double("ID", transaction.id)
      .Double("AMOUNT", transaction.amount)
      .Double("RECEIVED_AT", transaction.received_at_ms)
      .String("IP_ADDRESS", transaction.ip_address)
      .Double("ACCOUNT_ID", transaction.account_id)
      .Finish();
}

std::vector<std::string> AddressesIn(std::string_view prefix, int first, int count) {
  std::vector<std::string> addresses;
  for (int host = first; host < first + count; ++host) {
    addresses.push_back(fmt::format("{}{}", prefix, host));
  }
  return addresses;
}

}  // namespace

const char* FraudKindName(FraudKind kind) {
  switch (kind) {
    case FraudKind::kBurstCount: return "burst-count";
    case FraudKind::kBurstAmount: return "burst-amount";
    case FraudKind::kLargeAmount: return "large-amount";
    case FraudKind::kForeignIp: return "foreign-ip";
  }
  FSQL_CHECK(false, "unknown fraud kind {}", static_cast<int>(kind));
  return "";
}

std::optional<FraudKind> ParseFraudKind(const std::string& name) {
  for (const FraudKind kind : {FraudKind::kBurstCount, FraudKind::kBurstAmount,
                               FraudKind::kLargeAmount, FraudKind::kForeignIp}) {
    if (name == FraudKindName(kind)) {
      return kind;
    }
  }
  return std::nullopt;
}

TrafficGenerator::TrafficGenerator(GeneratorOptions options)
    : options_(std::move(options)),
      transaction_rng_(options_.seed),
      // XOR with the SplitMix64 increment gives the user stream a seed of its own.
      user_rng_(options_.seed ^ 0x9e3779b97f4a7c15ULL) {
  if (options_.user_count < 1) {
    throw std::invalid_argument(fmt::format(
        "invalid user_count {}: expected at least 1", options_.user_count));
  }
  accounts_.resize(options_.user_count);
}

// The address blocks reserved for documentation (TEST-NET-1 to 3), so the demo never
// names a real host.
const std::vector<std::string>& TrafficGenerator::AllowedIpAddresses() {
  static const std::vector<std::string> addresses = [] {
    std::vector<std::string> all = AddressesIn("192.0.2.", 10, 10);
    const std::vector<std::string> more = AddressesIn("198.51.100.", 10, 10);
    all.insert(all.end(), more.begin(), more.end());
    return all;
  }();
  return addresses;
}

const std::vector<std::string>& TrafficGenerator::BlockedIpAddresses() {
  static const std::vector<std::string> addresses = AddressesIn("203.0.113.", 10, 10);
  return addresses;
}

// ---- Users ----

std::vector<CdcRecord> TrafficGenerator::UserSnapshot(int64_t now_ms) {
  CreateUsersOnce(now_ms);
  std::vector<CdcRecord> records;
  for (const User& user : users_) {
    if (!accounts_[user.id - 1].deleted) {
      records.push_back(UserRecord("r", nullptr, &user, now_ms));
    }
  }
  return records;
}

CdcRecord TrafficGenerator::UpdateUser(int64_t user_id, int64_t now_ms) {
  CreateUsersOnce(now_ms);
  User& user = ExistingUser(user_id);
  const User before = user;
  user.last_login_ms = now_ms;
  return UserRecord("u", &before, &user, now_ms);
}

std::vector<CdcRecord> TrafficGenerator::DeleteUser(int64_t user_id, int64_t now_ms) {
  CreateUsersOnce(now_ms);
  const User& user = ExistingUser(user_id);
  std::vector<CdcRecord> records;
  records.push_back(UserRecord("d", &user, nullptr, now_ms));
  // Debezium follows a delete with a tombstone so log compaction can drop the key.
  records.push_back(CdcRecord{options_.user_topic, KeyJson(user_id), std::nullopt, now_ms});
  accounts_[user_id - 1].deleted = true;
  return records;
}

// DATE_JOINED and LAST_LOGIN are relative to the first call that needs users, because
// the constructor has no clock.
void TrafficGenerator::CreateUsersOnce(int64_t now_ms) {
  if (!users_.empty()) {
    return;
  }
  users_.reserve(options_.user_count);
  for (int64_t id = 1; id <= options_.user_count; ++id) {
    users_.push_back(CreateUser(id, now_ms));
  }
}

TrafficGenerator::User TrafficGenerator::CreateUser(int64_t id, int64_t now_ms) {
  const Name& first = PickFrom(user_rng_, kFirstNames);
  const Name& last = PickFrom(user_rng_, kLastNames);

  User user;
  user.id = id;
  user.first_name = first.display;
  user.last_name = last.display;
  // The id suffix keeps usernames unique, because the names are letters only.
  user.username = fmt::format("{}.{}{}", first.ascii, last.ascii, id);
  user.email = fmt::format("{}@{}", user.username, PickFrom(user_rng_, kEmailDomains));
  user.password = FakePasswordHash(user_rng_);
  user.date_joined_ms = now_ms - UniformInt(user_rng_, kDayMs, 3 * 365 * kDayMs);
  if (DrawBool(user_rng_, 80)) {
    user.last_login_ms = UniformInt(user_rng_, user.date_joined_ms, now_ms);
  }
  user.is_superuser = DrawBool(user_rng_, 1);
  user.is_staff = user.is_superuser || DrawBool(user_rng_, 4);
  return user;
}

TrafficGenerator::User& TrafficGenerator::ExistingUser(int64_t user_id) {
  if (user_id < 1 || user_id > options_.user_count) {
    throw std::invalid_argument(fmt::format("invalid user id {}: expected 1..{}", user_id,
                                            options_.user_count));
  }
  if (accounts_[user_id - 1].deleted) {
    throw std::invalid_argument(
        fmt::format("user {} is deleted, so it cannot change again", user_id));
  }
  return users_[user_id - 1];
}

CdcRecord TrafficGenerator::UserRecord(const char* op, const User* before, const User* after,
                                       int64_t now_ms) const {
  const User& keyed = after ? *after : *before;
  std::optional<std::string> before_row;
  std::optional<std::string> after_row;
  if (before) {
    before_row = UserRow(*before);
  }
  if (after) {
    after_row = UserRow(*after);
  }
  return CdcRecord{options_.user_topic, KeyJson(keyed.id),
                   EnvelopeJson(op, before_row, after_row, kUserTable, now_ms), now_ms};
}

std::string TrafficGenerator::UserRow(const User& user) {
  return JsonObject()
      .Double("ID", user.id)
      .String("PASSWORD", user.password)
      .DoubleOrNull("LAST_LOGIN", user.last_login_ms)
      .Flag("IS_SUPERUSER", user.is_superuser)
      .String("USERNAME", user.username)
      .String("FIRST_NAME", user.first_name)
      .String("LAST_NAME", user.last_name)
      .String("EMAIL", user.email)
      .Flag("IS_STAFF", user.is_staff)
      .Flag("IS_ACTIVE", true)
      .Double("DATE_JOINED", user.date_joined_ms)
      .Finish();
}

// ---- Transactions ----

CdcRecord TrafficGenerator::NormalTransaction(int64_t now_ms) {
  const double amount = UniformAmount(transaction_rng_, 25, 5000);
  const std::optional<int64_t> account_id = PickAccount([&](int64_t id) {
    return id % kFraudReserveEvery != 0 && FitsNormalLimits(accounts_[id - 1], now_ms, amount);
  });
  if (!account_id) {
    throw std::runtime_error(fmt::format(
        "no account can take a normal transaction at {} UTC: the transaction rate is too "
        "high for {} users, whose accounts are at their 10-minute limit, deleted, used "
        "for fraud or kept for fraud; lower the rate or raise the user count (--users "
        "in fsql gen); each user takes about 0.012 normal transactions a second",
        FormatTimestampMillis(now_ms, 3), options_.user_count));
  }

  latest_normal_ms_ = std::max(latest_normal_ms_, now_ms);
  RecordNormalAmount(accounts_[*account_id - 1], now_ms, amount);
  const std::string& ip_address = PickFrom(transaction_rng_, AllowedIpAddresses());
  return CreateTransaction(*account_id, amount, now_ms, ip_address);
}

std::pair<std::vector<CdcRecord>, InjectedFraud> TrafficGenerator::InjectFraud(
    FraudKind kind, int64_t now_ms, std::optional<int64_t> account_id, int64_t spacing_ms) {
  if (spacing_ms < 0) {
    throw std::invalid_argument(
        fmt::format("invalid fraud spacing {} ms: expected 0 or more", spacing_ms));
  }
  if (account_id && (*account_id < 1 || *account_id > options_.user_count)) {
    throw std::invalid_argument(fmt::format("invalid account id {}: expected 1..{}",
                                            *account_id, options_.user_count));
  }
  const int64_t target = account_id ? *account_id : PickFraudAccount(now_ms);
  accounts_[target - 1].has_fraud = true;

  InjectedFraud fraud{kind, target, {}, 0};
  std::vector<CdcRecord> records;
  const std::vector<double> amounts = DrawFraudAmounts(kind);
  for (size_t i = 0; i < amounts.size(); ++i) {
    const auto& addresses =
        kind == FraudKind::kForeignIp ? BlockedIpAddresses() : AllowedIpAddresses();
    const std::string& ip_address = PickFrom(transaction_rng_, addresses);
    const int64_t at_ms = now_ms + static_cast<int64_t>(i) * spacing_ms;
    records.push_back(CreateTransaction(target, amounts[i], at_ms, ip_address));
    fraud.transactions.push_back(last_transaction_);
    fraud.total_amount += amounts[i];
  }
  return {std::move(records), std::move(fraud)};
}

const Transaction& TrafficGenerator::last_transaction() const {
  return last_transaction_;
}

// Counts every normal transaction within 10 minutes on either side of `now_ms`, so the
// limits hold even when the caller's clock steps back a little.
bool TrafficGenerator::FitsNormalLimits(const Account& account, int64_t now_ms,
                                        double amount) const {
  if (account.has_fraud || account.deleted) {
    return false;
  }
  int count = 1;
  double sum = amount;
  for (const RecentAmount& recent : account.recent) {
    if (std::abs(recent.at_ms - now_ms) <= kWindowMs) {
      ++count;
      sum += recent.amount;
    }
  }
  return count <= kMaxNormalCount && sum <= kMaxNormalSum;
}

bool TrafficGenerator::IsFreeForFraud(const Account& account, int64_t now_ms) const {
  if (account.has_fraud || account.deleted) {
    return false;
  }
  return std::none_of(account.recent.begin(), account.recent.end(),
                      [&](const RecentAmount& recent) {
                        return std::abs(recent.at_ms - now_ms) <= kWindowMs;
                      });
}

// Draws uniformly among the eligible accounts: random draws find one quickly while most
// accounts qualify, and the scan handles the case where few do.
template <typename Predicate>
std::optional<int64_t> TrafficGenerator::PickAccount(Predicate is_eligible) {
  for (int attempt = 0; attempt < kRandomPickAttempts; ++attempt) {
    const int64_t id = UniformInt(transaction_rng_, 1, options_.user_count);
    if (is_eligible(id)) {
      return id;
    }
  }
  std::vector<int64_t> eligible;
  for (int64_t id = 1; id <= options_.user_count; ++id) {
    if (is_eligible(id)) {
      eligible.push_back(id);
    }
  }
  if (eligible.empty()) {
    return std::nullopt;
  }
  return eligible[UniformBelow(transaction_rng_, eligible.size())];
}

int64_t TrafficGenerator::PickFraudAccount(int64_t now_ms) {
  const std::optional<int64_t> account_id = PickAccount([&](int64_t id) {
    return IsFreeForFraud(accounts_[id - 1], now_ms);
  });
  if (!account_id) {
    throw std::runtime_error(fmt::format(
        "no account is free for fraud at {} UTC: each of the {} accounts already has "
        "fraud, is deleted or had a normal transaction within 10 minutes; raise "
        "the user count (--users in fsql gen) or pass an account id",
        FormatTimestampMillis(now_ms, 3), options_.user_count));
  }
  return *account_id;
}

std::vector<double> TrafficGenerator::DrawFraudAmounts(FraudKind kind) {
  std::vector<double> amounts;
  switch (kind) {
    case FraudKind::kBurstCount:
      for (int i = 0; i < kBurstCount; ++i) {
        amounts.push_back(UniformAmount(transaction_rng_, 25, 5000));
      }
      break;
    case FraudKind::kBurstAmount: {
      double sum = 0;
      while (sum <= kFraudSumLimit) {
        int64_t low_cents = 5000;
        if (amounts.size() + 1 == kMaxBurstAmountCount) {
          // One cent above what the sum still lacks, so this transaction is the last.
          const double missing_cents = std::ceil((kFraudSumLimit - sum) * 100);
          low_cents = std::max(low_cents, static_cast<int64_t>(missing_cents) + 1);
        }
        amounts.push_back(UniformAmount(transaction_rng_, low_cents, 100000));
        sum += amounts.back();
      }
      break;
    }
    case FraudKind::kLargeAmount:
      amounts.push_back(UniformAmount(transaction_rng_, 100001, 105000));
      break;
    case FraudKind::kForeignIp:
      amounts.push_back(UniformAmount(transaction_rng_, 25, 5000));
      break;
  }
  return amounts;
}

// Forgets amounts too old to count for any call up to 10 minutes behind the latest one.
// NOTE: a call further back than that may miss amounts and so exceed the limits.
void TrafficGenerator::RecordNormalAmount(Account& account, int64_t at_ms, double amount) {
  account.recent.push_back(RecentAmount{at_ms, amount});
  const int64_t oldest_needed_ms = latest_normal_ms_ - 2 * kWindowMs;
  while (!account.recent.empty() && account.recent.front().at_ms < oldest_needed_ms) {
    account.recent.pop_front();
  }
}

CdcRecord TrafficGenerator::CreateTransaction(int64_t account_id, double amount,
                                              int64_t at_ms, const std::string& ip_address) {
  last_transaction_ = Transaction{next_transaction_id_++, account_id, amount, at_ms, ip_address};
  const std::string row = TransactionRow(last_transaction_);
  return CdcRecord{options_.transaction_topic, KeyJson(last_transaction_.id),
                   EnvelopeJson("c", std::nullopt, row, kTransactionTable, at_ms), at_ms};
}

}  // namespace fsql::traffic
