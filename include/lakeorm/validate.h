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
 * record is the array index. */
LAKE_EXTERN int lake_validate(const lake_schema *schema, const void *records, size_t count,
                              lake_error *err);

/* The same over an array of pointers to records; a NULL pointer is an issue of
 * its own (rule "required"). */
LAKE_EXTERN int lake_validate_ptrs(const lake_schema *schema, const void *const *records,
                                   size_t count, lake_error *err);

LAKE_END_DECL

#endif
