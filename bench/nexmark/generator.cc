#include "bench/nexmark/generator.h"

#include <cmath>

#include <fmt/format.h>

#include "runtime/formats/json_format.h"
#include "runtime/types/value.h"

namespace fsql::nexmark {

namespace {

// Proportions of the three event types in every 50 events.
constexpr int64_t kPersonProportion = 1;
constexpr int64_t kAuctionProportion = 3;
constexpr int64_t kBidProportion = 46;
constexpr int64_t kProportionTotal = kPersonProportion + kAuctionProportion + kBidProportion;

constexpr int64_t kFirstPersonId = 1000;
constexpr int64_t kFirstAuctionId = 1000;
constexpr int64_t kFirstCategoryId = 10;
constexpr int64_t kCategoryCount = 5;
// Bidders and sellers are drawn from the most recent people, bids go to the
// auctions opened most recently, and ids may run a little ahead of the
// newest one, as in the reference.
constexpr int64_t kActivePeople = 1000;
constexpr int64_t kInFlightAuctions = 100;
constexpr int64_t kPersonIdLead = 10;
constexpr int64_t kAuctionIdLead = 10;
// Hot ids are the newest id rounded down to a multiple of this.
constexpr int64_t kHotIdRounding = 100;
constexpr int64_t kChannelCount = 10000;

const char* const kFirstNames[] = {"Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah",
                                   "Deiter", "Walter"};
const char* const kLastNames[] = {"Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones",
                                  "Noris"};
const char* const kStates[] = {"AZ", "CA", "ID", "OR", "WA", "WY"};
const char* const kCities[] = {"Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland",
                               "Bend", "Redmond", "Seattle", "Kent", "Cheyenne"};
const char* const kHotChannels[] = {"Google", "Facebook", "Baidu", "Apple"};

template <size_t N>
const char* Pick(const char* const (&values)[N], int64_t index) {
  return values[static_cast<size_t>(index) % N];
}

/// Reverses the bits of a 32-bit value, which spreads channel numbers over the id range.
uint32_t ReverseBits(uint32_t v) {
  uint32_t out = 0;
  for (int i = 0; i < 32; ++i) {
    out = (out << 1) | (v & 1);
    v >>= 1;
  }
  return out;
}

}  // namespace

NexmarkGenerator::NexmarkGenerator(NexmarkOptions options) : options_(options), state_(options.seed) {
  for (size_t i = 0; i < std::size(kHotChannels); ++i) {
    channel_urls_.push_back(fmt::format("https://www.nexmark.com/{}/{}/{}/item.htm?query=1", RandomString(5),
                                        RandomString(5), RandomString(5)));
  }
}

// splitmix64: small, fast and good enough for benchmark data.
uint64_t NexmarkGenerator::NextRandom() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

int64_t NexmarkGenerator::Uniform(int64_t bound) {
  return bound <= 1 ? 0 : static_cast<int64_t>(NextRandom() % static_cast<uint64_t>(bound));
}

double NexmarkGenerator::UniformDouble() { return static_cast<double>(NextRandom() >> 11) * 0x1.0p-53; }

std::string NexmarkGenerator::RandomString(int length) {
  std::string out(static_cast<size_t>(length), 'a');
  for (char& c : out) c = static_cast<char>('a' + Uniform(26));
  return out;
}

std::string NexmarkGenerator::Extra(int current_bytes, int average_bytes) {
  int missing = average_bytes - current_bytes;
  if (missing <= 0) return {};
  // Spread the padding over 80% to 120% of what is missing, so sizes vary around the average.
  int length = static_cast<int>(missing * 0.8 + Uniform(missing * 2 / 5 + 1));
  return RandomString(length);
}

int64_t NexmarkGenerator::Price() { return std::llround(std::pow(10.0, UniformDouble() * 6.0) * 100.0); }

int64_t NexmarkGenerator::TimeOf(int64_t event) const {
  return options_.base_time_ms + event * 1000 / options_.event_rate;
}

int64_t NexmarkGenerator::LastPersonId(int64_t event) const {
  int64_t epoch = event / kProportionTotal;
  int64_t offset = std::min(event % kProportionTotal, kPersonProportion - 1);
  return epoch * kPersonProportion + offset;
}

int64_t NexmarkGenerator::LastAuctionId(int64_t event) const {
  int64_t epoch = event / kProportionTotal;
  int64_t offset = event % kProportionTotal;
  if (offset < kPersonProportion) {
    --epoch;
    offset = kAuctionProportion - 1;
  } else if (offset >= kPersonProportion + kAuctionProportion) {
    offset = kAuctionProportion - 1;
  } else {
    offset -= kPersonProportion;
  }
  return epoch * kAuctionProportion + offset;
}

int64_t NexmarkGenerator::RecentPersonId(int64_t event) {
  int64_t people = LastPersonId(event) + 1;
  int64_t active = std::min(people, kActivePeople);
  return people - active + Uniform(active + kPersonIdLead);
}

int64_t NexmarkGenerator::OpenAuctionId(int64_t event) {
  int64_t last = LastAuctionId(event);
  int64_t first = std::max<int64_t>(last - kInFlightAuctions, 0);
  return first + Uniform(last - first + 1 + kAuctionIdLead);
}

void NexmarkGenerator::AppendPerson(int64_t event, int64_t time_ms, std::string& out) {
  int64_t id = LastPersonId(event) + kFirstPersonId;
  std::string name = fmt::format("{} {}", Pick(kFirstNames, Uniform(std::size(kFirstNames))),
                                 Pick(kLastNames, Uniform(std::size(kLastNames))));
  std::string email = RandomString(7) + "@" + RandomString(5) + ".com";
  std::string card =
      fmt::format("{:04} {:04} {:04} {:04}", Uniform(10000), Uniform(10000), Uniform(10000), Uniform(10000));
  const char* city = Pick(kCities, Uniform(std::size(kCities)));
  const char* state = Pick(kStates, Uniform(std::size(kStates)));
  int size = static_cast<int>(8 + name.size() + email.size() + card.size() + std::strlen(city) + std::strlen(state));
  std::string extra = Extra(size, options_.avg_person_bytes);

  out += R"({"event_type":0,"person":{"id":)";
  out += std::to_string(id);
  out += R"(,"name":")" + name + R"(","emailAddress":")" + email + R"(","creditCard":")" + card;
  out += R"(","city":")";
  out += city;
  out += R"(","state":")";
  out += state;
  out += R"(","dateTime":")" + FormatTimestampMillis(time_ms, 3) + R"(","extra":")" + extra + "\"}}";
}

void NexmarkGenerator::AppendAuction(int64_t event, int64_t time_ms, std::string& out) {
  int64_t id = LastAuctionId(event) + kFirstAuctionId;
  int64_t seller;
  if (Uniform(options_.hot_seller_ratio) > 0) {
    seller = (LastPersonId(event) / kHotIdRounding) * kHotIdRounding;
  } else {
    seller = RecentPersonId(event);
  }
  seller += kFirstPersonId;
  int64_t category = kFirstCategoryId + Uniform(kCategoryCount);
  int64_t initial_bid = Price();
  int64_t reserve = initial_bid + Price();
  // An auction stays open for a random share of the time in which the
  // generator opens kInFlightAuctions auctions, so about that many are open at once.
  int64_t horizon_ms = kInFlightAuctions * kProportionTotal / kAuctionProportion * 1000 / options_.event_rate;
  int64_t expires = time_ms + horizon_ms / 2 + Uniform(horizon_ms + 1);
  std::string item = RandomString(20);
  std::string description = RandomString(100);
  int size = static_cast<int>(8 + item.size() + description.size() + 8 + 8 + 8 + 8 + 8);
  std::string extra = Extra(size, options_.avg_auction_bytes);

  out += fmt::format(R"({{"event_type":1,"auction":{{"id":{},"itemName":"{}","description":"{}","initialBid":{},)"
                     R"("reserve":{},"dateTime":"{}","expires":"{}","seller":{},"category":{},"extra":"{}"}}}})",
                     id, item, description, initial_bid, reserve, FormatTimestampMillis(time_ms, 3),
                     FormatTimestampMillis(expires, 3), seller, category, extra);
}

void NexmarkGenerator::AppendBid(int64_t event, int64_t time_ms, std::string& out) {
  int64_t auction;
  if (Uniform(options_.hot_auction_ratio) > 0) {
    auction = (LastAuctionId(event) / kHotIdRounding) * kHotIdRounding;
  } else {
    auction = OpenAuctionId(event);
  }
  auction += kFirstAuctionId;
  int64_t bidder;
  if (Uniform(options_.hot_bidder_ratio) > 0) {
    // Hot bidders sit one above the hot sellers, so they are different people.
    bidder = (LastPersonId(event) / kHotIdRounding) * kHotIdRounding + 1;
  } else {
    bidder = RecentPersonId(event);
  }
  bidder += kFirstPersonId;
  int64_t price = Price();

  std::string channel;
  std::string url;
  if (Uniform(options_.hot_channel_ratio) > 0) {
    int64_t index = Uniform(std::size(kHotChannels));
    channel = kHotChannels[index];
    url = channel_urls_[static_cast<size_t>(index)];
  } else {
    int64_t number = Uniform(kChannelCount);
    channel = fmt::format("channel-{}", number);
    url = fmt::format("https://www.nexmark.com/{}/{}/{}/item.htm?query=1", RandomString(5), RandomString(5),
                      RandomString(5));
    // Nine in ten of the other channels name their id in the URL, which q21 extracts.
    if (Uniform(10) > 0) url += fmt::format("&channel_id={}", ReverseBits(static_cast<uint32_t>(number)) & 0x7fffffff);
  }
  int size = static_cast<int>(8 + 8 + 8 + channel.size() + url.size() + 8);
  std::string extra = Extra(size, options_.avg_bid_bytes);

  out += fmt::format(R"({{"event_type":2,"bid":{{"auction":{},"bidder":{},"price":{},"channel":"{}","url":"{}",)"
                     R"("dateTime":"{}","extra":"{}"}}}})",
                     auction, bidder, price, channel, url, FormatTimestampMillis(time_ms, 3), extra);
}

Event NexmarkGenerator::Next() {
  int64_t event = next_event_++;
  Event out;
  out.time_ms = TimeOf(event);
  int64_t offset = event % kProportionTotal;
  if (offset < kPersonProportion) {
    out.type = EventType::kPerson;
    AppendPerson(event, out.time_ms, out.json);
  } else if (offset < kPersonProportion + kAuctionProportion) {
    out.type = EventType::kAuction;
    AppendAuction(event, out.time_ms, out.json);
  } else {
    out.type = EventType::kBid;
    AppendBid(event, out.time_ms, out.json);
  }
  return out;
}

}  // namespace fsql::nexmark
