/*
** rule_text.c: how the rule files (check.c, group.c, ncci.c) word and add
** a finding: one way to add it with every field named, the severity a
** profile value's confirmation gives, and the source text of a profile
** value. Core layer: no Lua headers.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include "core.h"

bh_severity bh_severity_for(int unconfirmed) {
    return unconfirmed ? BH_SEV_WARNING : BH_SEV_ERROR;
}

const char *bh_or_default(const char *s, const char *fallback) {
    return s != NULL && s[0] != '\0' ? s : fallback;
}

const char *bh_profile_source(const bh_profile *p, const char *source, const char *fallback,
                              int unconfirmed, char *buf, size_t size) {
    snprintf(buf, size, "payer profile %s: %s%s", bh_or_default(p->name, "?"),
             bh_or_default(source, fallback), unconfirmed ? " (unconfirmed profile value)" : "");
    return buf;
}
