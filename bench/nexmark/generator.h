// Nexmark events (Person, Auction, Bid) as JSON, deterministic for a seed.
//
// The event model follows the Nexmark reference generator as Beam and the
// Flink nexmark project describe it: out of every 50 events, 1 is a Person,
// 3 are Auctions and 46 are Bids. Ids grow with the event number, so a new
// event refers to recent people and open auctions. A share of auctions and
// bids go to "hot" sellers, bidders and auctions (ids rounded down to a
// multiple of 100), and each event is padded with an `extra` string so that
// Persons, Auctions and Bids average about 200, 500 and 100 bytes. The random
// number generator is fsql's own, so the values differ from the reference
// generator's for the same seed, while the distributions match.
//
// Each event is one JSON object in the shape of Flink nexmark's combined
// table: `event_type` (0 person, 1 auction, 2 bid) and one of the nested
// objects `person`, `auction` or `bid`. Times are 'YYYY-MM-DD HH:MM:SS.fff'
// in UTC, spaced evenly at `event_rate` events per second of event time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fsql::nexmark {

enum class EventType { kPerson = 0, kAuction = 1, kBid = 2 };

struct NexmarkOptions {
  uint64_t seed = 1;
  /// Events per second of event time; sets the spacing of `dateTime`.
  int64_t event_rate = 100'000;
  /// Event time of the first event, in epoch milliseconds (2026-01-01 00:00:00 UTC).
  int64_t base_time_ms = 1'767'225'600'000;
  /// One in `hot_*_ratio` picks a random id; the rest pick the hot one.
  int hot_auction_ratio = 2;
  int hot_seller_ratio = 4;
  int hot_bidder_ratio = 4;
  int hot_channel_ratio = 2;
  int avg_person_bytes = 200;
  int avg_auction_bytes = 500;
  int avg_bid_bytes = 100;
};

struct Event {
  EventType type = EventType::kBid;
  int64_t time_ms = 0;  // the event's dateTime
  std::string json;
};

class NexmarkGenerator {
 public:
  explicit NexmarkGenerator(NexmarkOptions options = {});

  /// Generates the event with number `event_number()` and advances.
  Event Next();
  int64_t event_number() const { return next_event_; }

 private:
  uint64_t NextRandom();
  /// Uniform in [0, bound).
  int64_t Uniform(int64_t bound);
  double UniformDouble();
  std::string RandomString(int length);
  std::string Extra(int current_bytes, int average_bytes);
  int64_t Price();
  int64_t LastPersonId(int64_t event) const;
  int64_t LastAuctionId(int64_t event) const;
  int64_t RecentPersonId(int64_t event);
  int64_t OpenAuctionId(int64_t event);
  int64_t TimeOf(int64_t event) const;

  void AppendPerson(int64_t event, int64_t time_ms, std::string& out);
  void AppendAuction(int64_t event, int64_t time_ms, std::string& out);
  void AppendBid(int64_t event, int64_t time_ms, std::string& out);

  NexmarkOptions options_;
  uint64_t state_;
  int64_t next_event_ = 0;
  std::vector<std::string> channel_urls_;  // the base URL of each hot channel
};

}  // namespace fsql::nexmark
