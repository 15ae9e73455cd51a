/* See common.h. */
#define _POSIX_C_SOURCE 200809L
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(const char *why) {
    fprintf(stderr, "error: %s\nusage: --url URL --op OP --count N [--payload B] [--stream S] [--window W] [--batch B]\n", why);
    exit(EXIT_FAILED);
}

static size_t number(const char *flag, const char *v) {
    char *end = NULL;
    unsigned long long n = strtoull(v, &end, 10);
    if (!end || *end) {
        fprintf(stderr, "%s: not a number: %s\n", flag, v);
        exit(EXIT_FAILED);
    }
    return (size_t)n;
}

void bench_parse(int argc, char **argv, bench_args *a) {
    memset(a, 0, sizeof *a);
    a->payload = 128;
    a->window = 1024;
    a->batch = 500;
    a->stream = "";
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 >= argc) usage("a flag needs a value");
        const char *f = argv[i], *v = argv[i + 1];
        if (!strcmp(f, "--url")) a->url = v;
        else if (!strcmp(f, "--op")) a->op = v;
        else if (!strcmp(f, "--count")) a->count = number(f, v);
        else if (!strcmp(f, "--payload")) a->payload = number(f, v);
        else if (!strcmp(f, "--stream")) a->stream = v;
        else if (!strcmp(f, "--window")) a->window = number(f, v);
        else if (!strcmp(f, "--batch")) a->batch = number(f, v);
        else usage("unknown flag");
    }
    if (!a->url || !a->op || a->count == 0) usage("--url, --op and --count are required");
    if (strcmp(a->op, "core") != 0 && !*a->stream) usage("--stream is required");
    if (strlen(a->stream) > 200) usage("stream name too long");
    snprintf(a->subject, sizeof a->subject, "%s.x", a->stream);
    a->data = malloc(a->payload ? a->payload : 1);
    if (!a->data) usage("out of memory");
    memset(a->data, 'x', a->payload);
}

double bench_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void bench_sleep_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

void bench_dedup_msg_id(size_t i, char *buf, size_t len) {
    snprintf(buf, len, "m%zu", i % 10 == 9 ? i - 1 : i);
}

void bench_unique_msg_id(size_t i, char *buf, size_t len) {
    snprintf(buf, len, "m%zu", i);
}

static int cmp_double(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static double pick(const double *xs, size_t n, double q) {
    if (n == 0) return 0.0;
    size_t rank = (size_t)((double)n * q + 0.999999999);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return xs[rank - 1] * 1e6;
}

void bench_percentiles(double *lat, size_t n, double *p50_us, double *p99_us) {
    qsort(lat, n, sizeof *lat, cmp_double);
    *p50_us = pick(lat, n, 0.50);
    *p99_us = pick(lat, n, 0.99);
}

void bench_begin(const char *entry, const bench_args *a, double seconds) {
    printf("{\"entry\":\"%s\",\"op\":\"%s\",\"count\":%zu,\"payload\":%zu,\"seconds\":%.9f,\"msgs_per_s\":%.3f",
           entry, a->op, a->count, a->payload, seconds, seconds > 0 ? (double)a->count / seconds : 0.0);
}

void bench_end(void) {
    printf("}\n");
    fflush(stdout);
}

void bench_unsupported(const char *entry, const bench_args *a, const char *why) {
    printf("{\"entry\":\"%s\",\"op\":\"%s\",\"unsupported\":\"%s\"}\n", entry, a->op, why);
    fflush(stdout);
    exit(EXIT_UNSUPPORTED);
}

void bench_fail(const char *entry, const char *what) {
    fprintf(stderr, "%s: %s\n", entry, what);
    exit(EXIT_FAILED);
}

uint64_t bench_seqs_add(bench_seqs *s, uint64_t seq) {
    s->received++;
    s->in_order = s->in_order && seq == s->last + 1;
    s->last = seq;
    s->checksum += s->received * seq;
    return s->received;
}

void bench_seqs_print(const bench_seqs *s) {
    printf(",\"received\":%llu,\"in_order\":%s,\"seq_checksum\":%llu", (unsigned long long)s->received,
           s->in_order ? "true" : "false", (unsigned long long)s->checksum);
}

void bench_kv_key(size_t i, char *buf, size_t len) {
    snprintf(buf, len, "k.%zu", i % KV_KEYS);
}

/* BENCH_PIECE + BENCH_PERIOD bytes of the pattern from offset 0. */
static unsigned char pattern_table[BENCH_PIECE + BENCH_PERIOD];
static int pattern_ready;

const unsigned char *bench_pattern_at(uint64_t offset, size_t len) {
    (void)len;
    if (!pattern_ready) {
        for (size_t j = 0; j < sizeof pattern_table; j++) pattern_table[j] = (unsigned char)(j % BENCH_PERIOD);
        pattern_ready = 1;
    }
    return pattern_table + offset % BENCH_PERIOD;
}

int bench_pattern_matches(uint64_t offset, const unsigned char *data, size_t len) {
    while (len > 0) {
        size_t n = len < BENCH_PIECE ? len : BENCH_PIECE;
        if (memcmp(data, bench_pattern_at(offset, n), n) != 0) return 0;
        data += n;
        offset += n;
        len -= n;
    }
    return 1;
}
