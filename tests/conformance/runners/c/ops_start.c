/* Start positions: {policy: all | last | last_per_subject | new | sequence |
 * time, seq, after_seq, time_ns}. `time` with `after_seq` reads stored
 * message N of the stream and starts 1 ns after its timestamp. */
#include <string.h>

#include "ops.h"
#include "outcome.h"

bool start_position(jb_client *client, const char *stream, args *a, uint32_t *start, uint64_t *seq, int64_t *time_ns) {
    static const struct {
        const char *name;
        uint32_t value;
    } NAMED[] = {{"all", JB_START_ALL}, {"last", JB_START_LAST}, {"last_per_subject", JB_START_LAST_PER_SUBJECT},
                 {"new", JB_START_NEW}};
    const char *policy;
    if (!args_required_string(a, "policy", &policy)) return false;
    for (size_t i = 0; i < sizeof NAMED / sizeof NAMED[0]; i++)
        if (strcmp(NAMED[i].name, policy) == 0) {
            *start = NAMED[i].value;
            return true;
        }
    if (strcmp(policy, "sequence") == 0) {
        *start = JB_START_SEQUENCE;
        return args_required_u64(a, "seq", seq);
    }
    if (strcmp(policy, "time") == 0) {
        bool has_after, has_time;
        uint64_t after;
        int64_t t;
        if (!args_u64(a, "after_seq", &has_after, &after) || !args_i64(a, "time_ns", &has_time, &t)) return false;
        if (has_after && !has_time) {
            jb_stored_message *m = NULL;
            jb_result rc = jb_client_get_message(client, stream, after, &m);
            if (rc != JB_RESULT_OK) {
                fail_binding(rc);
                return false;
            }
            *start = JB_START_TIME;
            *time_ns = m->timestamp_ns + 1;
            jb_stored_message_free(m);
            return true;
        }
        if (!has_after && has_time) {
            *start = JB_START_TIME;
            *time_ns = t;
            return true;
        }
        fail_runner("start time needs exactly one of after_seq, time_ns");
        return false;
    }
    fail_unsupported("start policy \"%s\"", policy);
    return false;
}
