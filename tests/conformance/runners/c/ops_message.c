/* Acks: {from: alias, seq: N} names the latest delivery of stream sequence N
 * received from that consumer or stream. The fire-and-forget acks are
 * queued by the binding; ack_sync waits for the server. */
#include "arena.h"
#include "ops.h"
#include "outcome.h"

static jb_message *target(state *st, args *a) {
    const char *from;
    uint64_t seq;
    if (!args_required_string(a, "from", &from) || !args_required_u64(a, "seq", &seq)) return NULL;
    return state_message(st, from, seq);
}

static json *done(jb_result rc) { return rc == JB_RESULT_OK ? json_object(&g_step) : fail_binding(rc); }

json *op_ack(state *st, args *a) {
    jb_message *m = target(st, a);
    return m == NULL ? NULL : done(jb_message_ack(m));
}

json *op_nak(state *st, args *a) {
    bool has;
    uint64_t delay = 0;
    if (!args_u64(a, "delay_ms", &has, &delay)) return NULL;
    jb_message *m = target(st, a);
    if (m == NULL) return NULL;
    return done(jb_message_nak(m, has ? delay : 0));
}

json *op_term(state *st, args *a) {
    const char *reason;
    if (!args_string(a, "reason", &reason)) return NULL;
    jb_message *m = target(st, a);
    if (m == NULL) return NULL;
    return done(jb_message_term(m, reason));
}

json *op_in_progress(state *st, args *a) {
    jb_message *m = target(st, a);
    return m == NULL ? NULL : done(jb_message_in_progress(m));
}

json *op_ack_sync(state *st, args *a) {
    jb_message *m = target(st, a);
    return m == NULL ? NULL : done(jb_message_ack_sync(m));
}
