#include "runtime/operators/operator.h"

#include <algorithm>
#include <cstring>

#include "runtime/common/error.h"
#include "runtime/common/logging.h"

namespace fsql {

Operator::Operator(int input_count) : input_watermarks_(static_cast<size_t>(input_count), kNoTime) {}

void Operator::Emit(std::vector<Row>& rows) {
  if (downstream_ != nullptr && !rows.empty()) downstream_->ProcessBatch(downstream_input_, rows);
}

void Operator::EmitWatermark(int64_t watermark) {
  if (watermark == kNoTime || watermark <= emitted_watermark_) return;
  emitted_watermark_ = watermark;
  if (downstream_ != nullptr) downstream_->ProcessWatermark(downstream_input_, watermark);
}

int64_t Operator::CombinedWatermark() const {
  int64_t combined = INT64_MAX;
  for (int64_t w : input_watermarks_) {
    if (w == kNoTime) return kNoTime;
    combined = std::min(combined, w);
  }
  return combined;
}

void Operator::RecordInputWatermark(int input, int64_t watermark) {
  int64_t& current = input_watermarks_.at(static_cast<size_t>(input));
  current = std::max(current, watermark);
}

void Operator::ReportLateRows(const std::string& reason) const {
  spdlog::warn("{}{} dropped {} late rows so far ({})", rule_name_.empty() ? "" : "rule " + rule_name_ + ": ", name(),
               late_rows_, reason);
}

void Operator::ProcessWatermark(int input, int64_t watermark) {
  RecordInputWatermark(input, watermark);
  EmitWatermark(CombinedWatermark());
}

void Operator::SetProcessingTime(int64_t millis) { context_.processing_time_ms = millis; }

std::string EncodeKey(RowView row, const std::vector<int>& columns, const std::vector<DataType>& types) {
  std::string key;
  for (int column : columns) {
    uint32_t c = static_cast<uint32_t>(column);
    if (row.IsNull(c)) {
      key.push_back('\0');
      continue;
    }
    key.push_back('\1');
    const DataType& type = types[c];
    if (type.IsString() || type.id == TypeId::kBytes) {
      std::string_view s = row.GetString(c);
      uint32_t length = static_cast<uint32_t>(s.size());
      key.append(reinterpret_cast<const char*>(&length), 4);
      key.append(s);
    } else if (type.id == TypeId::kRow || type.id == TypeId::kArray || type.id == TypeId::kMap ||
               type.id == TypeId::kMultiset) {
      // NOTE: two MAP or MULTISET keys with the same entries in another order
      // encode differently, so they count as different keys here.
      RowView nested = row.GetRow(c);
      key.append(reinterpret_cast<const char*>(nested.data()), nested.size());
    } else if (type.id == TypeId::kDecimal && type.precision > kMaxCompactDecimalPrecision) {
      // The slot of a wide DECIMAL points at its value instead of containing it.
      Int128 unscaled = row.GetDecimal(c, type.precision);
      key.append(reinterpret_cast<const char*>(&unscaled), sizeof(unscaled));
    } else {
      // Ints and doubles both occupy the 8-byte slot; equal keys have equal bits
      // except for -0.0 and NaN, which Flink also keeps apart.
      int64_t bits = row.GetInt(c);
      key.append(reinterpret_cast<const char*>(&bits), 8);
    }
  }
  return key;
}

uint64_t HashKey(std::string_view key) {
  // Word-at-a-time multiply-xorshift, chosen because generated code computes
  // it with a few instructions per 8 bytes. The last word is zero-padded, and
  // the length goes into the seed so that keys differing only in trailing
  // zero bytes hash apart.
  uint64_t hash = kKeyHashSeed ^ (static_cast<uint64_t>(key.size()) * kKeyHashMultiplier);
  for (size_t offset = 0; offset < key.size(); offset += 8) {
    uint64_t word = 0;
    std::memcpy(&word, key.data() + offset, std::min<size_t>(8, key.size() - offset));
    hash = (hash ^ word) * kKeyHashMultiplier;
    hash ^= hash >> 32;
  }
  hash ^= hash >> 33;
  hash *= kKeyHashFinalizer;
  hash ^= hash >> 33;
  return hash;
}

KeyEncoder::KeyEncoder(std::vector<int> columns, std::vector<DataType> types)
    : columns_(std::move(columns)), types_(std::move(types)) {}

void KeyEncoder::Compile(CodegenMode mode, const KeyCompiler& compiler) {
  if (mode == CodegenMode::kInterpret || !compiler || columns_.empty()) return;
  if (mode == CodegenMode::kJit) {
    compiled_ = compiler(columns_, types_);
    return;
  }
  pending_ = std::async(std::launch::async, compiler, columns_, types_);
}

void KeyEncoder::SwitchToCompiledCodeIfReady() { TakeWhenReady(pending_, compiled_); }

void RowPredicate::Compile(CodegenMode mode, const CalcOperator::Compiler& compiler) {
  if (mode == CodegenMode::kInterpret || !compiler || !condition_) return;
  if (mode == CodegenMode::kJit) {
    compiled_ = compiler(condition_, {});
    return;
  }
  pending_ = std::async(std::launch::async, compiler, condition_, std::vector<ExprPtr>());
}

void RowPredicate::SwitchToCompiledCodeIfReady() { TakeWhenReady(pending_, compiled_); }

std::optional<KeyEncoder> ColumnKeyEncoder(const std::vector<ExprPtr>& keys) {
  std::vector<int> columns;
  std::vector<DataType> types;
  for (const ExprPtr& key : keys) {
    if (key->kind != ExprKind::kInputRef) return std::nullopt;
    // EncodeKey reads a column's type by its index, so the other positions
    // only need to exist.
    auto column = static_cast<size_t>(key->index);
    if (types.size() <= column) types.resize(column + 1, key->type);
    types[column] = key->type;
    columns.push_back(static_cast<int>(column));
  }
  return KeyEncoder(std::move(columns), std::move(types));
}

bool SameContent(const Row& a, const Row& b) {
  const std::string& x = a.bytes();
  const std::string& y = b.bytes();
  return x.size() == y.size() && std::memcmp(x.data() + RowView::kHeaderSize, y.data() + RowView::kHeaderSize,
                                             x.size() - RowView::kHeaderSize) == 0;
}

CalcOperator::CalcOperator(ExprPtr filter, std::vector<ExprPtr> projections, CodegenMode mode, Compiler compiler)
    : filter_(std::move(filter)),
      projections_(std::move(projections)),
      builder_(static_cast<uint32_t>(projections_.size())) {
  if (mode == CodegenMode::kInterpret || !compiler) return;
  if (mode == CodegenMode::kJit) {
    compiled_ = compiler(filter_, projections_);
    return;
  }
  pending_ = std::async(std::launch::async, std::move(compiler), filter_, projections_);
}

CalcOperator::~CalcOperator() {
  if (pending_.valid()) pending_.wait();
}

void CalcOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  SwitchToCompiledCodeIfReady();
  std::vector<Row> out;
  out.reserve(rows.size());
  auto run = [&](const std::vector<Row>& batch, std::vector<Row>& into) {
    if (batch.empty()) return;
    if (compiled_) {
      compiled_->Process(batch, context_, into);
    } else {
      Interpret(batch, into);
    }
  };
  bool updates = filter_ && std::any_of(rows.begin(), rows.end(),
                                        [](const Row& row) { return row.kind() == RowKind::kUpdateBefore; });
  if (!updates) {
    run(rows, out);
    Emit(out);
    return;
  }
  // A filter may keep one half of an update and drop the other. A sink that
  // ignores -U, as an upsert sink does, would then keep a row the query no
  // longer has, so the half that passes becomes a -D or a +I instead.
  std::vector<Row> plain;
  for (size_t i = 0; i < rows.size(); ++i) {
    bool pair = rows[i].kind() == RowKind::kUpdateBefore && i + 1 < rows.size() &&
                rows[i + 1].kind() == RowKind::kUpdateAfter;
    if (!pair) {
      plain.push_back(std::move(rows[i]));
      continue;
    }
    run(plain, out);
    plain.clear();
    std::vector<Row> before{std::move(rows[i])};
    std::vector<Row> after{std::move(rows[i + 1])};
    ++i;
    std::vector<Row> kept_before, kept_after;
    run(before, kept_before);
    run(after, kept_after);
    if (!kept_before.empty() && !kept_after.empty()) {
      out.push_back(std::move(kept_before[0]));
      out.push_back(std::move(kept_after[0]));
    } else if (!kept_before.empty()) {
      out.push_back(kept_before[0].WithKind(RowKind::kDelete));
    } else if (!kept_after.empty()) {
      out.push_back(kept_after[0].WithKind(RowKind::kInsert));
    }
  }
  run(plain, out);
  Emit(out);
}

void CalcOperator::SwitchToCompiledCodeIfReady() {
  // Stays null when some expression did not compile, which keeps the interpreter.
  TakeWhenReady(pending_, compiled_);
}

void CalcOperator::Interpret(const std::vector<Row>& rows, std::vector<Row>& out) {
  for (const Row& row : rows) {
    RowView view = row.view();
    if (filter_ && !IsTrue(Evaluate(*filter_, view, context_))) continue;
    for (size_t i = 0; i < projections_.size(); ++i) {
      builder_.SetValue(static_cast<uint32_t>(i), projections_[i]->type, Evaluate(*projections_[i], view, context_));
    }
    out.push_back(builder_.Finish(row.kind(), row.event_time()));
  }
}

ChangelogNormalizeOperator::ChangelogNormalizeOperator(std::vector<DataType> types, std::vector<int> key_columns,
                                                       int64_t state_ttl_ms)
    : key_(std::move(key_columns), std::move(types)), last_(state_ttl_ms) {}

bool ChangelogNormalizeOperator::TakeStateFrom(Operator& previous) {
  auto* old = dynamic_cast<ChangelogNormalizeOperator*>(&previous);
  if (old == nullptr) return false;
  last_ = std::move(old->last_);
  return true;
}

void ChangelogNormalizeOperator::SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) {
  key_.Compile(mode, compiler);
}

void ChangelogNormalizeOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  key_.SwitchToCompiledCodeIfReady();
  const int64_t now = context_.processing_time_ms;
  last_.Sweep(now);
  std::vector<Row> out;
  HashedKey key;
  for (Row& row : rows) {
    key_.Encode(row.view(), key);
    Row* last = last_.Find(key, now);
    if (!IsAccumulate(row.kind())) {
      if (last != nullptr) {
        // The deletion happens at the tombstone's time, not at the stored row's.
        Row deleted = last->WithKind(RowKind::kDelete);
        deleted.set_event_time(row.event_time());
        out.push_back(std::move(deleted));
        last_.Erase(key);
      }
      continue;
    }
    if (last == nullptr) {
      out.push_back(row.WithKind(RowKind::kInsert));
      last_.Write(key, now) = row.WithKind(RowKind::kInsert);
      continue;
    }
    // An unchanged upsert changes nothing downstream, so it is dropped; it
    // still counts as a write for the TTL.
    if (SameContent(*last, row)) {
      last_.Write(key, now);
      continue;
    }
    out.push_back(last->WithKind(RowKind::kUpdateBefore));
    out.push_back(row.WithKind(RowKind::kUpdateAfter));
    last_.Write(key, now) = row.WithKind(RowKind::kInsert);
  }
  Emit(out);
}

}  // namespace fsql
