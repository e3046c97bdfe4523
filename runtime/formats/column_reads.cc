#include "runtime/formats/column_reads.h"

#include "runtime/expr/expr.h"

namespace fsql {

FieldReads* FieldReads::Field(size_t index, size_t field_count) {
  if (kind == Kind::kAll) return nullptr;
  if (kind == Kind::kNone) {
    kind = Kind::kSome;
    fields.assign(field_count, FieldReads{});
  }
  return &fields.at(index);
}

void FieldReads::Merge(const FieldReads& other) {
  if (kind == Kind::kAll || other.kind == Kind::kNone) return;
  if (other.kind == Kind::kAll || kind == Kind::kNone) {
    *this = other;
    return;
  }
  for (size_t i = 0; i < fields.size() && i < other.fields.size(); ++i) fields[i].Merge(other.fields[i]);
}

void AddExpressionReads(const Expr& expr, ColumnReads& reads) {
  if (expr.kind == ExprKind::kInputRef) {
    if (expr.index >= 0 && static_cast<size_t>(expr.index) < reads.size()) reads[expr.index].MarkAll();
    return;
  }
  if (expr.kind == ExprKind::kFieldAccess) {
    // Walk down to the column, then mark the path back up from it.
    std::vector<const Expr*> path;
    const Expr* base = &expr;
    while (base->kind == ExprKind::kFieldAccess && !base->args.empty()) {
      path.push_back(base);
      base = base->args[0].get();
    }
    if (base->kind == ExprKind::kInputRef) {
      if (base->index < 0 || static_cast<size_t>(base->index) >= reads.size()) return;
      FieldReads* target = &reads[base->index];
      for (auto it = path.rbegin(); it != path.rend() && target != nullptr; ++it) {
        const Expr& access = **it;
        target = target->Field(static_cast<size_t>(access.index), access.args[0]->type.fields.size());
      }
      if (target != nullptr) target->MarkAll();
      return;
    }
    AddExpressionReads(*base, reads);
    return;
  }
  for (const auto& arg : expr.args) {
    if (arg) AddExpressionReads(*arg, reads);
  }
}

void MergeColumnReads(ColumnReads& reads, const ColumnReads& other) {
  if (reads.empty()) return;
  if (other.empty()) {
    reads.clear();
    return;
  }
  for (size_t i = 0; i < reads.size() && i < other.size(); ++i) reads[i].Merge(other[i]);
}

}  // namespace fsql
