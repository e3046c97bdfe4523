#include "compiler/parser/ast.h"

namespace fsql::ast {

std::string JoinName(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += ".";
    out += part;
  }
  return out;
}

namespace {

std::unique_ptr<Expr> CloneOrNull(const std::unique_ptr<Expr>& expr) {
  return expr ? Clone(*expr) : nullptr;
}

std::vector<SortItem> CloneSort(const std::vector<SortItem>& items) {
  std::vector<SortItem> out;
  for (const auto& item : items) out.push_back(SortItem{Clone(*item.expr), item.descending, item.nulls_first});
  return out;
}

FrameBound CloneBound(const FrameBound& bound) { return FrameBound{bound.kind, CloneOrNull(bound.offset)}; }

}  // namespace

std::unique_ptr<Expr> Clone(const Expr& expr) {
  auto out = std::make_unique<Expr>();
  out->kind = expr.kind;
  out->location = expr.location;
  out->text = expr.text;
  out->literal_kind = expr.literal_kind;
  out->literal = expr.literal;
  out->interval_from_unit = expr.interval_from_unit;
  out->interval_to_unit = expr.interval_to_unit;
  out->interval_negative = expr.interval_negative;
  out->name_parts = expr.name_parts;
  out->name = expr.name;
  for (const auto& child : expr.children) out->children.push_back(Clone(*child));
  out->argument_names = expr.argument_names;
  out->negated = expr.negated;
  out->distinct = expr.distinct;
  out->star = expr.star;
  out->try_cast = expr.try_cast;
  out->time_unit = expr.time_unit;
  out->cast_type = expr.cast_type;
  out->has_else = expr.has_else;
  out->has_operand = expr.has_operand;
  out->similar = expr.similar;
  out->trim_side = expr.trim_side;
  out->has_returning = expr.has_returning;
  out->json_on_empty = expr.json_on_empty;
  out->json_on_error = expr.json_on_error;
  out->json_on_null = expr.json_on_null;
  out->json_wrapper = expr.json_wrapper;
  out->json_on_empty_default = CloneOrNull(expr.json_on_empty_default);
  out->json_on_error_default = CloneOrNull(expr.json_on_error_default);
  out->filter = CloneOrNull(expr.filter);
  if (expr.over) {
    const WindowSpec& spec = *expr.over;
    out->over = std::make_unique<WindowSpec>();
    out->over->location = spec.location;
    out->over->base_window = spec.base_window;
    for (const auto& e : spec.partition_by) out->over->partition_by.push_back(Clone(*e));
    out->over->order_by = CloneSort(spec.order_by);
    out->over->has_frame = spec.has_frame;
    out->over->rows_frame = spec.rows_frame;
    out->over->frame_start = CloneBound(spec.frame_start);
    out->over->frame_end = CloneBound(spec.frame_end);
  }
  out->over_window_name = expr.over_window_name;
  out->subquery = expr.subquery;  // queries are immutable once parsed, so they are shared
  return out;
}

ColumnDef Clone(const ColumnDef& column) {
  ColumnDef out;
  out.location = column.location;
  out.name = column.name;
  out.type = column.type;
  out.unsupported_type = column.unsupported_type;
  out.computed = CloneOrNull(column.computed);
  out.metadata = column.metadata;
  out.metadata_key = column.metadata_key;
  out.is_virtual = column.is_virtual;
  out.comment = column.comment;
  out.position_first = column.position_first;
  out.position_after = column.position_after;
  return out;
}

std::unique_ptr<CreateTable> Clone(const CreateTable& table) {
  auto out = std::make_unique<CreateTable>();
  out->name = table.name;
  out->name_location = table.name_location;
  out->temporary = table.temporary;
  out->if_not_exists = table.if_not_exists;
  for (const auto& column : table.columns) out->columns.push_back(Clone(column));
  out->watermark_column = table.watermark_column;
  out->watermark_expr = CloneOrNull(table.watermark_expr);
  out->watermark_location = table.watermark_location;
  out->primary_key = table.primary_key;
  out->primary_key_location = table.primary_key_location;
  out->distribution_keys = table.distribution_keys;
  out->distribution_kind = table.distribution_kind;
  out->distribution_location = table.distribution_location;
  out->buckets = table.buckets;
  out->partitioned_by = table.partitioned_by;
  out->options = table.options;
  out->comment = table.comment;
  out->as_query = table.as_query;
  out->or_replace = table.or_replace;
  out->replace = table.replace;
  out->like_table = table.like_table;
  out->like_location = table.like_location;
  out->like_options = table.like_options;
  return out;
}

}  // namespace fsql::ast
