/*
** bench_271.c: the 271 reader (bh_inquiry_read) on a synthetic answer:
** one interchange with N subscribers, each with a behavioral-health set of
** benefits (active coverage, co-payment, co-insurance, deductible
** remaining, visit limit with HSD, carve-out with MSG and a 2120C entity,
** non-covered service with AAA). Best of 3; MB/s of 271 text and members
** per second. Usage: bench_271 [N] (default 20000)
** SPDX-License-Identifier: MIT
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "x12_inquiry.h"

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const member_segments =
    "HL*%ld*2*22*0~TRN*2*T%ld*1123456789~NM1*IL*1*DOE*JANE%ld****MI*M%08ld~"
    "REF*6P*G123*GROUP NAME~N3*12 MAIN ST~N4*COLUMBUS*OH*43215~DMG*D8*19800101*F~"
    "DTP*346*D8*20260101~DTP*347*D8*20261231~"
    "EB*1**30^1^33^35^47^86^88^98^AL^MH^UC**GOLD PLAN~"
    "EB*B*IND*A6^MH*HM*GOLD PLAN*27*20*****Y~"
    "EB*A*IND*A6^MH*HM*GOLD PLAN*23**0.2***Y*Y~"
    "EB*C*IND*MH***29*150~"
    "EB*F**A6***29***VS*20*N~HSD*VS*20***23~"
    "EB*U**A4^A8~MSG*PSYCHIATRIC EVALUATION THROUGH MIND CARE~III*ZZ*02~LS*2120~"
    "NM1*VN*2*MIND CARE*****PI*BH9~PER*IC**TE*8005551212~LE*2120~"
    "EB*I**AI~AAA*Y**41*C~";

static char *build(long n, size_t *len) {
    size_t cap = (size_t)n * 900 + 4096, used = 0;
    char *buf = malloc(cap);
    long i;
    if (buf == NULL) return NULL;
    used += (size_t)snprintf(buf + used, cap - used, "%s",
        "ISA*00*          *00*          *ZZ*PAYER01        *ZZ*CLINIC01       "
        "*260301*1200*^*00501*000000001*0*P*:~"
        "GS*HB*PAYER01*CLINIC01*20260301*1200*1*X*005010X279A1~ST*271*0001*005010X279A1~"
        "BHT*0022*11*R1*20260301*1200~HL*1**20*1~NM1*PR*2*BLUE PLAN*****PI*BP001~"
        "HL*2*1*21*1~NM1*1P*2*RIVERBEND COUNSELING*****XX*1234567893~");
    for (i = 0; i < n; i++)
        used += (size_t)snprintf(buf + used, cap - used, member_segments, i + 3, i, i, i);
    used += (size_t)snprintf(buf + used, cap - used, "SE*%ld*0001~GE*1*1~IEA*1*000000001~",
                             n * 27 + 8);
    *len = used;
    return buf;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 20000;
    size_t len = 0;
    char *text = build(n, &len);
    double best = 1e9;
    int round;
    if (text == NULL || n < 1) {
        fprintf(stderr, "bench_271: cannot build the input\n");
        return 1;
    }
    for (round = 0; round < 3; round++) {
        bh_error err;
        double t0 = now_seconds(), dt;
        cJSON *sets = bh_inquiry_read(BH_INQ_ELIGIBILITY, text, len, &err);
        dt = now_seconds() - t0;
        if (sets == NULL) {
            fprintf(stderr, "bench_271: %s\n", err.message);
            free(text);
            return 1;
        }
        cJSON_Delete(sets);
        if (dt < best) best = dt;
    }
    printf("271 read (bh_inquiry_read): %ld members, %.1f MB in %.3f s: %.1f MB/s, "
           "%.0f members/s (best of 3)\n",
           n, (double)len / 1e6, best, (double)len / 1e6 / best, (double)n / best);
    free(text);
    return 0;
}
