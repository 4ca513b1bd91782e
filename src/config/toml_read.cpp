// SPDX-License-Identifier: MIT
// The TOML reader: toml++ (header-only, so nothing of it is linked at run
// time) parses, and this file walks its tree into C calls. toml++ is told
// not to throw (TOML_EXCEPTIONS 0: a syntax error comes back as a value);
// what the standard library may still throw, std::bad_alloc, is caught here
// so no exception crosses into C.
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#define TOML_ENABLE_FORMATTERS 0
#define TOML_ENABLE_WINDOWS_COMPAT 0
#include <toml++/toml.h>

#include <cstdio>
#include <new>
#include <string>
#include <vector>

#include <lakeorm/error.h>

#include "config/toml.h"

namespace {

struct walker {
    lake__toml_fn fn;
    void *ctx;
    std::vector<const char *> keys;
    std::vector<size_t> lens;

    int visit(const toml::key &key, const toml::node &node) {
        keys.push_back(key.str().data());
        lens.push_back(key.str().size());
        lake__toml_item item{};
        item.keys = keys.data();
        item.key_lens = lens.data();
        item.depth = keys.size();
        item.line = static_cast<unsigned>(key.source().begin.line);
        int rc = LAKE_OK;
        switch (node.type()) {
        case toml::node_type::table: item.kind = LAKE__TOML_TABLE; break;
        case toml::node_type::array: item.kind = LAKE__TOML_ARRAY; break;
        case toml::node_type::string: {
            const std::string &s = node.as_string()->get();
            item.kind = LAKE__TOML_STRING;
            item.text = s.data();
            item.len = s.size();
            break;
        }
        case toml::node_type::integer:
            item.kind = LAKE__TOML_INTEGER;
            item.integer = node.as_integer()->get();
            break;
        case toml::node_type::floating_point: item.kind = LAKE__TOML_FLOAT; break;
        case toml::node_type::boolean:
            item.kind = LAKE__TOML_BOOLEAN;
            item.integer = node.as_boolean()->get() ? 1 : 0;
            break;
        default: item.kind = LAKE__TOML_DATETIME; break;
        }
        rc = fn(ctx, &item);
        if (!rc && item.kind == LAKE__TOML_TABLE) rc = members(*node.as_table());
        keys.pop_back();
        lens.pop_back();
        return rc;
    }

    int members(const toml::table &table) {
        for (auto &&[key, node] : table)
            if (int rc = visit(key, node)) return rc;
        return LAKE_OK;
    }
};

} // namespace

extern "C" int lake__toml_walk(const char *text, size_t len, lake__toml_fn fn, void *ctx,
                               lake__toml_failure *failure) {
    try {
        toml::parse_result doc = toml::parse(std::string_view(text, len));
        if (!doc) {
            const toml::parse_error &e = doc.error();
            failure->line = static_cast<unsigned>(e.source().begin.line);
            failure->column = static_cast<unsigned>(e.source().begin.column);
            std::snprintf(failure->message, sizeof failure->message, "%.*s", static_cast<int>(e.description().size()),
                          e.description().data());
            return LAKE_EINVAL;
        }
        walker w{fn, ctx, {}, {}};
        return w.members(doc.table());
    } catch (const std::bad_alloc &) {
        return LAKE_ENOMEM;
    } catch (...) {
        std::snprintf(failure->message, sizeof failure->message, "the TOML reader failed");
        return LAKE_EINVAL;
    }
}
