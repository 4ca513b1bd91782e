/* SPDX-License-Identifier: MIT */
/* lakeorm: validation at the boundary.
 *
 * Rules follow go-playground/validator's syntax ("required,email,min=1") and are
 * compiled once with the schema; docs/validation.md lists every rule and where
 * lakeorm differs from Go. Validation never stops at the first problem: every
 * failing field of every record is reported. */
#ifndef LAKEORM_VALIDATE_H
#define LAKEORM_VALIDATE_H

#include "common.h"
#include "error.h"
#include "schema.h"

LAKE_BEGIN_DECL

/* Validates `count` records stored contiguously (an array of the model's
 * struct, or of lake_schema_record_size bytes each). Returns LAKE_OK, or
 * LAKE_EVALIDATION with one issue per failing field in err->issues; an issue's
 * record is the array index, issues in record order. Batches of 4,096 records
 * or more are checked in ranges on a few of the process's threads. */
LAKE_EXTERN int lake_validate(const lake_schema *schema, const void *records, size_t count,
                              lake_error *err);

/* The same over an array of pointers to records; a NULL pointer is an issue of
 * its own (rule "required"). */
LAKE_EXTERN int lake_validate_ptrs(const lake_schema *schema, const void *const *records,
                                   size_t count, lake_error *err);

/* A rule of your own, like go-playground's RegisterValidation. `value` points
 * at the field's value inside the record (a lake_str for strings, an int32_t
 * for int32, the value part of a lake_opt_*); NULL values never reach it.
 * `param` is the text after '=' ("" when none). Return true when it passes.
 * It may be called from several threads at once (requests on several
 * threads, and large batches checked in ranges): keep it reentrant. */
typedef bool (*lake_rule_fn)(const lake_column *column, const void *value, const char *param, void *ctx);

/* Registers `name` (letters, digits and '_', not a built-in rule) for every
 * schema compiled afterwards; ctx is passed back unchanged. Rules live for the
 * process. Thread-safe, but register before compiling the schemas that use
 * them: a schema naming an unknown rule fails to compile. */
LAKE_EXTERN int lake_rule_register(const char *name, lake_rule_fn fn, void *ctx, lake_error *err);

LAKE_END_DECL

#endif
