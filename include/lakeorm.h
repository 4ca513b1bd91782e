/* SPDX-License-Identifier: MIT */
/* lakeorm: typed records in, tagged columns out. Include this one header. */
#ifndef LAKEORM_H
#define LAKEORM_H

#include "lakeorm/common.h"
#include "lakeorm/error.h"
#include "lakeorm/types.h"
#include "lakeorm/schema.h"
#include "lakeorm/validate.h"
#include "lakeorm/json.h"
#include "lakeorm/ids.h"
#include "lakeorm/values.h"
#include "lakeorm/parquet.h"
#include "lakeorm/backend.h"
#include "lakeorm/client.h"
#include "lakeorm/config.h"
#include "lakeorm/migrate.h"
#include "lakeorm/arrow.h"

#endif
