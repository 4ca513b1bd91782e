/* SPDX-License-Identifier: MIT */
/* The redaction rule of redact.h. It errs on the side of hiding: a value it
 * cannot tell from a secret is hidden, since a message that lost a detail is
 * a nuisance and one that kept a token is a leak. */
#include "util/redact.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *const secret_words[] = {"secret", "token", "key", "pass", "pwd", "cred", "sig", "auth", "bearer"};

static bool contains(const char *s, size_t len, const char *word) {
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= len; i++)
        if (!strncasecmp(s + i, word, n)) return true;
    return false;
}

bool lake__redact_secret_key(const char *key, size_t len) {
    if ((len >= 6 && !strncasecmp(key, "x-amz-", 6)) || (len >= 7 && !strncasecmp(key, "x-goog-", 7))) return true;
    for (size_t i = 0; i < sizeof secret_words / sizeof *secret_words; i++)
        if (contains(key, len, secret_words[i])) return true;
    return false;
}

static bool key_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.'; }

/* Where an item starts: a key is only a key after one of these. */
static bool item_start(char c) { return strchr("?&;\"' \t\r\n", c) != NULL; }

/* Where a value or an address ends. */
static bool value_end(char c) { return !c || strchr("&;\" \t\r\n", c) != NULL; }

typedef struct writer {
    char *out;
    size_t cap, len;
} writer;

static void put(writer *w, const char *s, size_t n) {
    size_t room = w->cap - 1 - w->len;
    if (n > room) n = room;
    memcpy(w->out + w->len, s, n);
    w->len += n;
}

const char *lake__redact(const char *text, char *out, size_t cap) {
    if (!out || !cap) return "";
    writer w = {out, cap, 0};
    const char *p = text ? text : "";
    while (*p && w.len + 1 < cap) {
        if (!strncmp(p, "://", 3)) {
            put(&w, p, 3);
            p += 3;
            const char *end = p, *at = NULL;
            while (!value_end(*end) && *end != '?' && *end != '#') {
                if (*end == '@') at = end;
                end++;
            }
            if (at) {
                put(&w, "***", 3);
                p = at;
            }
            continue;
        }
        if (*p == '=') {
            const char *k = p;
            while (k > text && key_char(k[-1])) k--;
            if (k < p && (k == text || item_start(k[-1])) && lake__redact_secret_key(k, (size_t)(p - k))) {
                put(&w, "=***", 4);
                for (p++; !value_end(*p); p++) {}
                continue;
            }
        }
        put(&w, p, 1);
        p++;
    }
    out[w.len] = 0;
    return out;
}
