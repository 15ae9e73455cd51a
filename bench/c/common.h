/*
 * The shared command-line contract of the bench entries, for C.
 * Same as bench/rust/src/lib.rs (the reference): --url --op --count
 * [--payload 128] [--stream S] [--window 1024] [--batch 500]; one JSON line on
 * stdout; exit 0 on success, 2 on failure (message on stderr), 3 when the
 * client has no such operation. Publishes go to <stream>.x; `consume` creates
 * the durable `bench`; `core` publishes to bench.core.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stddef.h>
#include <stdint.h>

#define EXIT_FAILED 2
#define EXIT_UNSUPPORTED 3
#define DURABLE "bench"
#define CORE_SUBJECT "bench.core"
#define SETTLE_TIMEOUT_S 60.0
/* Key-value and object-store ops (kv-put, kv-get, kv-watch, obj-put, obj-get;
 * see bench/rust/src/lib.rs): --stream names the bucket. */
#define OBJECT_NAME "bench"
#define BENCH_MIB (1024ull * 1024ull)
#define BENCH_PIECE (64u * 1024u) /* generated and read in pieces of this size */
#define BENCH_PERIOD 251u         /* byte j of a bench object is j % 251 */
#define KV_KEYS 1000u             /* key of op i: k.<i mod 1000> */

typedef struct bench_args {
    const char *url;
    const char *op;
    size_t count;
    size_t payload;
    const char *stream;
    size_t window;
    size_t batch;
    char subject[256];   /* <stream>.x */
    unsigned char *data; /* `payload` bytes of 'x' */
} bench_args;

/* Parses argv; prints usage and exits 2 on bad input. */
void bench_parse(int argc, char **argv, bench_args *out);
/* Monotonic seconds. */
double bench_now(void);
/* Sleeps `ms` milliseconds. */
void bench_sleep_ms(long ms);
/* The msg id of message i in `dedup` (every tenth repeats the previous one). */
void bench_dedup_msg_id(size_t i, char *buf, size_t len);
/* The msg id of message i in `publish-ids`. */
void bench_unique_msg_id(size_t i, char *buf, size_t len);
/* Sorts `lat` (seconds) and writes nearest-rank p50/p99 in µs. */
void bench_percentiles(double *lat, size_t n, double *p50_us, double *p99_us);
/* Prints the opening of the report line (`{"entry":…,"msgs_per_s":…`); the
 * caller adds `,"key":value` fields with printf and ends with bench_end(). */
void bench_begin(const char *entry, const bench_args *a, double seconds);
void bench_end(void);
/* Prints the unsupported line and exits 3. */
/* What a replay received, for the driver to check against the server:
 * received; in_order (each stream sequence is the previous one + 1, starting
 * at 1); seq_checksum, the sum of position x sequence (1-based; order-sensitive). */
typedef struct bench_seqs {
    uint64_t received, last, checksum;
    int in_order;
} bench_seqs;
#define BENCH_SEQS_INIT {0, 0, 0, 1}
/* Records the next sequence; returns how many were received. */
uint64_t bench_seqs_add(bench_seqs *s, uint64_t seq);
/* Prints the ,"received":…,"in_order":…,"seq_checksum":… fields (between
 * bench_begin and bench_end). */
void bench_seqs_print(const bench_seqs *s);

/* Writes the key of put/get number i (`k.<i mod 1000>`). */
void bench_kv_key(size_t i, char *buf, size_t len);
/* The pattern at object offset `offset`, `len <= BENCH_PIECE` bytes, lent. */
const unsigned char *bench_pattern_at(uint64_t offset, size_t len);
/* 1 when `data` (`len` bytes, any length) is the pattern at `offset`. */
int bench_pattern_matches(uint64_t offset, const unsigned char *data, size_t len);

void bench_unsupported(const char *entry, const bench_args *a, const char *why);
/* Prints `entry: what` on stderr and exits 2. */
void bench_fail(const char *entry, const char *what);

#endif
