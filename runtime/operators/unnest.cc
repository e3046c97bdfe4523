// CROSS JOIN UNNEST of an ARRAY, MAP or MULTISET column.
#include "runtime/operators/operator.h"

namespace fsql {

UnnestOperator::UnnestOperator(UnnestSpec spec)
    : spec_(std::move(spec)),
      builder_(static_cast<uint32_t>(spec_.input_types.size() + spec_.element_types.size() +
                                     (spec_.with_ordinality ? 1 : 0))) {}

void UnnestOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  const auto width = static_cast<uint32_t>(spec_.input_types.size());
  std::vector<Row> out;
  for (const Row& row : rows) {
    RowView view = row.view();
    Value collection = Evaluate(*spec_.collection, view, context_);
    // Each element as the values of its columns.
    std::vector<std::vector<Value>> elements;
    if (!collection.is_null()) {
      const DataType& type = spec_.collection->type;
      if (type.id == TypeId::kArray) {
        for (const Value& element : collection.as_array().elements) {
          bool expand = type.children[0].id == TypeId::kRow && spec_.element_types.size() > 1;
          if (expand) {
            std::vector<Value> fields =
                element.is_null() ? std::vector<Value>(spec_.element_types.size()) : element.as_row();
            elements.push_back(std::move(fields));
          } else {
            elements.push_back({element});
          }
        }
      } else if (type.id == TypeId::kMap) {
        const MapValues& map = collection.as_map();
        for (size_t i = 0; i < map.keys.size(); ++i) elements.push_back({map.keys[i], map.values[i]});
      } else {
        // A MULTISET stores each distinct element with its count.
        const MapValues& counts = collection.as_map();
        for (size_t i = 0; i < counts.keys.size(); ++i) {
          int64_t copies = counts.values[i].is_null() ? 0 : counts.values[i].as_int();
          for (int64_t c = 0; c < copies; ++c) elements.push_back({counts.keys[i]});
        }
      }
    }
    bool padded = elements.empty() && spec_.keep_empty;
    if (padded) elements.push_back(std::vector<Value>(spec_.element_types.size()));
    for (size_t e = 0; e < elements.size(); ++e) {
      builder_.CopyColumns(0, view, spec_.input_types);
      for (size_t c = 0; c < spec_.element_types.size(); ++c) {
        builder_.SetValue(width + static_cast<uint32_t>(c), spec_.element_types[c], elements[e][c]);
      }
      if (spec_.with_ordinality) {
        auto column = width + static_cast<uint32_t>(spec_.element_types.size());
        if (padded) {
          builder_.SetNull(column);
        } else {
          builder_.SetInt(column, static_cast<int64_t>(e) + 1);
        }
      }
      out.push_back(builder_.Finish(row.kind(), row.event_time()));
    }
  }
  Emit(out);
}

}  // namespace fsql
