// The Nexmark generator of bench/nexmark: determinism, the event mix, the
// hot-key shares and the average event sizes.
#include <map>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "bench/nexmark/generator.h"

namespace fsql::nexmark {
namespace {

/// Returns the size of an event as the Nexmark reference counts it: 8 bytes
/// for each number and time, and the length of each string.
int64_t ValueBytes(simdjson::dom::object fields) {
  int64_t size = 0;
  for (auto [key, value] : fields) {
    bool is_time = key == "dateTime" || key == "expires";
    size += value.is_string() && !is_time ? static_cast<int64_t>(std::string_view(value).size()) : 8;
  }
  return size;
}

TEST(NexmarkGenerator, SameSeedSameEvents) {
  NexmarkGenerator a(NexmarkOptions{.seed = 7});
  NexmarkGenerator b(NexmarkOptions{.seed = 7});
  NexmarkGenerator c(NexmarkOptions{.seed = 8});
  bool differs = false;
  for (int i = 0; i < 500; ++i) {
    Event x = a.Next();
    Event y = b.Next();
    Event z = c.Next();
    ASSERT_EQ(x.json, y.json) << "event " << i;
    differs = differs || x.json != z.json;
  }
  EXPECT_TRUE(differs) << "another seed gave the same 500 events";
}

TEST(NexmarkGenerator, MixSizesAndHotKeys) {
  NexmarkGenerator generator;
  std::map<EventType, int64_t> counts;
  std::map<EventType, int64_t> bytes;
  std::map<int64_t, int64_t> bids_per_auction;
  int64_t bids = 0;
  int64_t previous_time = 0;
  simdjson::dom::parser parser;
  for (int i = 0; i < 50'000; ++i) {
    Event event = generator.Next();
    ASSERT_GE(event.time_ms, previous_time);
    previous_time = event.time_ms;
    ++counts[event.type];
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(event.json).get(doc), simdjson::SUCCESS) << event.json;
    ASSERT_EQ(int64_t(doc["event_type"]), static_cast<int64_t>(event.type));
    const char* nested = "bid";
    if (event.type == EventType::kPerson) nested = "person";
    if (event.type == EventType::kAuction) nested = "auction";
    bytes[event.type] += ValueBytes(doc[nested]);
    if (event.type == EventType::kBid) {
      ++bids;
      ++bids_per_auction[int64_t(doc["bid"]["auction"])];
    }
  }
  EXPECT_EQ(counts[EventType::kPerson], 1'000);
  EXPECT_EQ(counts[EventType::kAuction], 3'000);
  EXPECT_EQ(counts[EventType::kBid], 46'000);
  // The extra field pads events to the reference's average sizes of 200, 500
  // and 100 bytes. The JSON text is larger, by the keys and the time strings.
  EXPECT_NEAR(bytes[EventType::kPerson] / 1'000.0, 200, 20);
  EXPECT_NEAR(bytes[EventType::kAuction] / 3'000.0, 500, 25);
  // A bid's URL alone is 50 to 75 bytes, so bids come out a little above 100.
  EXPECT_NEAR(bytes[EventType::kBid] / 46'000.0, 100, 15);
  // With a hot auction ratio of 2, about half of the bids go to the hot
  // auctions, which are one in 100 auctions.
  int64_t hot_bids = 0;
  for (const auto& [auction, count] : bids_per_auction) {
    if (auction % 100 == 0) hot_bids += count;
  }
  EXPECT_NEAR(static_cast<double>(hot_bids) / static_cast<double>(bids), 0.5, 0.05);
}

}  // namespace
}  // namespace fsql::nexmark
