/*
** test_values.c: the core's one calendar (values.c): days in a month, date
** validity, month arithmetic and the previous day, which the NCCI loader,
** the payer and telehealth rules and the X12 reader and writers share.
** Prints TAP and exits non-zero on any failure.
** SPDX-License-Identifier: MIT
*/
#include <stdio.h>
#include <string.h>
#include "core.h"
#include "tap.h"

static void test_days_in_month(void) {
    expect(bh_days_in_month(2024, 2) == 29 && bh_days_in_month(2026, 2) == 28,
           "February: 29 days in 2024, 28 in 2026");
    expect(bh_days_in_month(2000, 2) == 29 && bh_days_in_month(1900, 2) == 28 &&
           bh_days_in_month(2100, 2) == 28, "centuries leap only when divisible by 400");
    expect(bh_days_in_month(2026, 1) == 31 && bh_days_in_month(2026, 4) == 30 &&
           bh_days_in_month(2026, 12) == 31, "31, 30 and 31 days");
}

static void test_date_valid(void) {
    expect(bh_date_valid(20240229) && !bh_date_valid(20250229), "29 February only in leap years");
    expect(bh_date_valid(18000101) && bh_date_valid(29991231), "the accepted range's ends");
    expect(!bh_date_valid(17991231) && !bh_date_valid(30000101), "outside the accepted years");
    expect(!bh_date_valid(20261301) && !bh_date_valid(20260100) && !bh_date_valid(20260431) &&
           !bh_date_valid(0) && !bh_date_valid(-20260101) && !bh_date_valid(202601010L),
           "no month 13, day 0, 31 April, zero, negative or nine digits");
}

static void test_month_arithmetic(void) {
    expect(bh_date_add_months(20240229, 12) == 20250228, "29 Feb 2024 + 12 months: 28 Feb 2025");
    expect(bh_date_add_months(20260831, -6) == 20260228, "31 Aug 2026 - 6 months: 28 Feb 2026");
    expect(bh_date_add_months(20261115, 2) == 20270115, "across a year end");
    expect(bh_date_add_months(20260115, -1) == 20251215, "back across a year start");
    expect(bh_date_add_months(20240331, -1) == 20240229, "clamped to a leap February");
    expect(bh_date_previous_day(20260301) == 20260228 &&
           bh_date_previous_day(20240301) == 20240229, "the day before 1 March");
    expect(bh_date_previous_day(20260101) == 20251231 &&
           bh_date_previous_day(20260501) == 20260430 &&
           bh_date_previous_day(20260515) == 20260514, "the day before a year, month and day");
}

/* bh_date_format must write what "%04u-%02u-%02u" of the year (mod 10000),
** month and day writes, for every value a bh_date can hold. */
static void test_date_format(void) {
    static const long samples[] = {20260302, 18000101, 29991231, 0, -5, 1, 99, 100000000L,
                                   2147483647L, 123456789L, 20261399, 10101};
    size_t i, bad = 0;
    for (i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char got[11], want[24];
        unsigned v = samples[i] > 0 ? (unsigned)samples[i] : 0u;
        bh_date_format((bh_date)samples[i], got);
        snprintf(want, sizeof want, "%04u-%02u-%02u", v / 10000 % 10000, v / 100 % 100, v % 100);
        if (strcmp(got, want) != 0) bad++;
    }
    expect(bad == 0, "date format writes YYYY-MM-DD for every bh_date value");
}

int main(void) {
    test_date_format();
    test_days_in_month();
    test_date_valid();
    test_month_arithmetic();
    return tap_done();
}
