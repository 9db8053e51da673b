/*
** values.c: dates, times and money as the claim model holds them.
** Dates are YYYYMMDD integers, times minutes after midnight, money integer
** cents: no floating point touches an amount. Core layer: no Lua headers.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>
#include "core.h"

static int is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int bh_days_in_month(int y, int m) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

int bh_date_valid(long d) {
    long y = d / 10000, m = d / 100 % 100, day = d % 100;
    return y >= BH_DATE_MIN_YEAR && y <= BH_DATE_MAX_YEAR && m >= 1 && m <= 12 && day >= 1 &&
           day <= bh_days_in_month((int)y, (int)m);
}

bh_date bh_date_add_months(bh_date d, int months) {
    int y = d / 10000, m = d / 100 % 100, day = d % 100, total = y * 12 + (m - 1) + months;
    y = total / 12;
    m = total % 12 + 1;
    if (day > bh_days_in_month(y, m)) day = bh_days_in_month(y, m);
    return (bh_date)(y * 10000 + m * 100 + day);
}

bh_date bh_date_previous_day(bh_date d) {
    int y = d / 10000, m = d / 100 % 100, day = d % 100;
    if (day > 1) return d - 1;
    if (m == 1) return (y - 1) * 10000 + 1231;
    return y * 10000 + (m - 1) * 100 + bh_days_in_month(y, m - 1);
}

static int digits_value(const char *s, int n) {
    int v = 0, i;
    for (i = 0; i < n; i++) {
        if (!BH_IS_DIGIT(s[i])) return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bh_date_result bh_date_parse_why(const char *text, size_t len, bh_date *out) {
    int y, m, d;
    if (text == NULL || len != 10 || text[4] != '-' || text[7] != '-')
        return BH_DATE_MALFORMED;
    y = digits_value(text, 4);
    m = digits_value(text + 5, 2);
    d = digits_value(text + 8, 2);
    if (y < 0 || m < 0 || d < 0) return BH_DATE_MALFORMED;
    if (m < 1 || m > 12 || d < 1 || d > bh_days_in_month(y, m)) return BH_DATE_IMPOSSIBLE;
    /* Years outside the range are typing slips, not claims. */
    if (y < BH_DATE_MIN_YEAR || y > BH_DATE_MAX_YEAR) return BH_DATE_RANGE;
    *out = (bh_date)(y * 10000 + m * 100 + d);
    return BH_DATE_OK;
}

int bh_date_parse(const char *text, size_t len, bh_date *out) {
    return bh_date_parse_why(text, len, out) == BH_DATE_OK;
}

/* Writes n decimal digits of v, zero-padded, most significant first. */
static void put_digits(char *out, unsigned v, int n) {
    while (n-- > 0) {
        out[n] = (char)('0' + v % 10);
        v /= 10;
    }
}

/* By hand rather than snprintf: the rules format dates on every claim, and
** "%04u-%02u-%02u" cost more than the checks around it. Same text: the
** year is value / 10000 % 10000, month and day two digits each. */
void bh_date_format(bh_date date, char buf[11]) {
    unsigned value = date > 0 ? (unsigned)date : 0u;
    put_digits(buf, value / 10000 % 10000, 4);
    buf[4] = '-';
    put_digits(buf + 5, value / 100 % 100, 2);
    buf[7] = '-';
    put_digits(buf + 8, value % 100, 2);
    buf[10] = '\0';
}

/* Days since 0000-03-01 in the proleptic Gregorian calendar. */
static long day_number(bh_date date) {
    long y = date / 10000, m = date / 100 % 100, d = date % 100;
    if (m < 3) {
        y -= 1;
        m += 12;
    }
    return 365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d - 1;
}

long bh_date_diff_days(bh_date a, bh_date b) {
    return day_number(b) - day_number(a);
}

int bh_time_parse(const char *text) {
    int h, m;
    if (text == NULL || strlen(text) != 5 || text[2] != ':') return -1;
    h = digits_value(text, 2);
    m = digits_value(text + 3, 2);
    if (h < 0 || h > 23 || m < 0 || m > 59) return -1;
    return h * 60 + m;
}

/* At most 11 integer digits: $99,999,999,999 is far beyond any claim line
** and keeps cents well inside int64 (BH_MAX_CENTS). Leading zeros do not
** count towards them. */
#define MONEY_MAX_INT_DIGITS 11

bh_money_result bh_money_parse_why(const char *text, size_t len, int64_t *cents) {
    size_t i = 0, int_digits = 0, frac_digits = 0;
    int64_t whole = 0, frac = 0;
    int negative = 0, too_big = 0;
    if (text == NULL || len == 0) return BH_MONEY_MALFORMED;
    if (text[0] == '-') {
        negative = 1;
        i = 1;
    }
    for (; i < len && BH_IS_DIGIT(text[i]); i++) {
        if (int_digits == 0 && text[i] == '0') {
            int_digits = i + 1 < len && BH_IS_DIGIT(text[i + 1]) ? 0 : 1;
            continue;
        }
        if (++int_digits > MONEY_MAX_INT_DIGITS) too_big = 1;
        else whole = whole * 10 + (text[i] - '0');
    }
    if (int_digits == 0) return BH_MONEY_MALFORMED;
    if (i < len && text[i] == '.') {
        for (i++; i < len && BH_IS_DIGIT(text[i]); i++) {
            if (++frac_digits <= 2) frac = frac * 10 + (text[i] - '0');
        }
        if (frac_digits == 0) return BH_MONEY_MALFORMED;
        if (frac_digits == 1) frac *= 10;
    }
    if (i != len) return BH_MONEY_MALFORMED;
    if (frac_digits > 2) return BH_MONEY_DECIMALS;
    if (too_big) return BH_MONEY_RANGE;
    *cents = (whole * 100 + frac) * (negative ? -1 : 1);
    return BH_MONEY_OK;
}

int bh_money_parse(const char *text, size_t len, int64_t *cents) {
    return bh_money_parse_why(text, len, cents) == BH_MONEY_OK;
}

void bh_money_format(int64_t cents, char buf[24]) {
    /* Negate as unsigned so INT64_MIN cannot overflow. Digits by hand, not
    ** snprintf: the 835 reader formats every amount it reads. */
    uint64_t magnitude = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    uint64_t whole = magnitude / 100;
    char digits[21];
    int n = 0, k = 0;
    do {
        digits[n++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole > 0);
    if (cents < 0) buf[k++] = '-';
    while (n > 0) buf[k++] = digits[--n];
    buf[k++] = '.';
    buf[k++] = (char)('0' + magnitude % 100 / 10);
    buf[k++] = (char)('0' + magnitude % 10);
    buf[k] = '\0';
}

const char *bh_date_problem(const char *text, size_t len) {
    bh_date d;
    switch (bh_date_parse_why(text, len, &d)) {
    case BH_DATE_OK: return "The date is valid.";
    case BH_DATE_IMPOSSIBLE: return "This is not a real calendar date (no such day in that month).";
    case BH_DATE_RANGE:
        return "The date is outside the accepted range 1800-01-01 to 2999-12-31.";
    default: return "This is not a date in YYYY-MM-DD form.";
    }
}
