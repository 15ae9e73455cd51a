//! One function per operation of SPEC.md; `run` dispatches a step to it.

mod client;
mod consumer;
mod core_nats;
mod credentials;
mod dapr;
mod events;
mod kv;
mod message;
mod object;
mod publish;
mod start;
mod stream;
mod subscription;

use crate::args::Args;
use crate::outcome::{StepError, StepResult};
use crate::scenario::Step;
use crate::state::State;

/// Executes one step and returns its result. Unknown arguments are a
/// `RUNNER` error (after the operation ran).
pub(crate) async fn run(st: &mut State, step: &Step) -> StepResult {
    let a = Args::root(&step.args);
    let result = match step.op.as_str() {
        "connect" => client::connect(st, &a).await,
        "close" => client::close(st, &a).await,
        "drain" => client::drain(st, &a).await,
        "flush_acks" => client::flush_acks(st, &a).await,
        "client_info" => client::client_info(st, &a),
        "counters" => client::counters(st, &a),
        "sleep" => client::sleep(&a).await,
        "create_stream" => stream::create_stream(st, &a).await,
        "update_stream" => stream::update_stream(st, &a).await,
        "stream_info" => stream::stream_info(st, &a).await,
        "delete_stream" => stream::delete_stream(st, &a).await,
        "purge_stream" => stream::purge_stream(st, &a).await,
        "get_message" => stream::get_message(st, &a).await,
        "get_last_message" => stream::get_last_message(st, &a).await,
        "get_next_message" => stream::get_next_message(st, &a).await,
        "get_messages" => stream::get_messages(st, &a).await,
        "stream_by_subject" => stream::stream_by_subject(st, &a).await,
        "list_streams" => stream::list_streams(st, &a).await,
        "list_consumers" => stream::list_consumers(st, &a).await,
        "delete_message" => stream::delete_message(st, &a).await,
        "account_info" => stream::account_info(st, &a).await,
        "publish" => publish::publish(st, &a).await,
        "publish_many" => publish::publish_many(st, &a).await,
        "publish_batch" => publish::publish_batch(st, &a).await,
        "publisher_open" => publish::publisher_open(st, &a),
        "publisher_publish" => publish::publisher_publish(st, &a).await,
        "publisher_publish_many" => publish::publisher_publish_many(st, &a).await,
        "publisher_flush" => publish::publisher_flush(st, &a).await,
        "publisher_close" => publish::publisher_close(st, &a).await,
        "publisher_publish_tracked" => publish::publisher_publish_tracked(st, &a).await,
        "publisher_ack" => publish::publisher_ack(st, &a).await,
        "create_consumer" => consumer::create_consumer(st, &a).await,
        "update_consumer" => consumer::update_consumer(st, &a).await,
        "get_or_create_consumer" => consumer::get_or_create_consumer(st, &a).await,
        "bind_consumer" => consumer::bind_consumer(st, &a).await,
        "consumer_info" => consumer::consumer_info(st, &a).await,
        "delete_consumer" => consumer::delete_consumer(st, &a).await,
        "fetch" => consumer::fetch(st, &a).await,
        "pause_consumer" => consumer::pause_consumer(st, &a).await,
        "resume_consumer" => consumer::resume_consumer(st, &a).await,
        "unpin_consumer" => consumer::unpin_consumer(st, &a).await,
        "ack" => message::ack(st, &a),
        "nak" => message::nak(st, &a),
        "term" => message::term(st, &a),
        "in_progress" => message::in_progress(st, &a),
        "ack_sync" => message::ack_sync(st, &a).await,
        "read_headers" => message::read_headers(st, &a),
        "trace_context" => message::trace_context(st, &a),
        "messages" => subscription::messages(st, &a).await,
        "replay" => subscription::replay(st, &a).await,
        "push_subscribe" => subscription::push_subscribe(st, &a).await,
        "next" => subscription::next(st, &a).await,
        "next_group" => subscription::next_group(st, &a).await,
        "stop" => subscription::stop(st, &a),
        "core_subscribe" => core_nats::core_subscribe(st, &a).await,
        "core_publish" => core_nats::core_publish(st, &a).await,
        "core_next" => core_nats::core_next(st, &a).await,
        "core_next_group" => core_nats::core_next_group(st, &a).await,
        "core_unsubscribe" => core_nats::core_unsubscribe(st, &a).await,
        "core_reply_service" => core_nats::core_reply_service(st, &a).await,
        "core_respond" => core_nats::core_respond(st, &a).await,
        "core_request" => core_nats::core_request(st, &a).await,
        "events_listen" => events::events_listen(st, &a),
        "events_next" => events::events_next(st, &a).await,
        "kv_create" => kv::kv_create(st, &a).await,
        "kv_open" => kv::kv_open(st, &a).await,
        "kv_create_or_update" => kv::kv_create_or_update(st, &a).await,
        "kv_status" => kv::kv_status(st, &a).await,
        "kv_names" => kv::kv_names(st, &a).await,
        "kv_delete_bucket" => kv::kv_delete_bucket(st, &a).await,
        op @ ("kv_put" | "kv_create_key" | "kv_update") => kv::kv_write(st, &a, op).await,
        "kv_delete" => kv::kv_remove(st, &a, false).await,
        "kv_purge" => kv::kv_remove(st, &a, true).await,
        "kv_get" => kv::kv_get(st, &a).await,
        "kv_entry" => kv::kv_entry(st, &a).await,
        "kv_history" => kv::kv_history(st, &a).await,
        "kv_keys" => kv::kv_keys(st, &a).await,
        "kv_list_keys" => kv::kv_list_keys(st, &a).await,
        "kv_watch" => kv::kv_watch(st, &a).await,
        "kv_watch_next" => kv::kv_watch_next(st, &a).await,
        "kv_watch_stop" => kv::kv_watch_stop(st, &a),
        "obj_create" => object::obj_create(st, &a).await,
        "obj_open" => object::obj_open(st, &a).await,
        "obj_status" => object::obj_status(st, &a).await,
        "obj_names" => object::obj_names(st, &a).await,
        "obj_seal" => object::obj_seal(st, &a).await,
        "obj_delete_store" => object::obj_delete_store(st, &a).await,
        "obj_put" => object::obj_put(st, &a).await,
        "obj_get" => object::obj_get(st, &a).await,
        "obj_info" => object::obj_info(st, &a).await,
        "obj_delete" => object::obj_delete(st, &a).await,
        "obj_list" => object::obj_list(st, &a).await,
        "obj_add_link" => object::obj_add_link(st, &a).await,
        "obj_add_bucket_link" => object::obj_add_bucket_link(st, &a).await,
        "obj_update_meta" => object::obj_update_meta(st, &a).await,
        "obj_watch" => object::obj_watch(st, &a).await,
        "obj_watch_next" => object::obj_watch_next(st, &a).await,
        "obj_watch_stop" => object::obj_watch_stop(st, &a),
        "dapr_config" => dapr::dapr_config(&a),
        "dapr_subscribe" => dapr::dapr_subscribe(st, &a).await,
        "dapr_state_config" => dapr::dapr_state_config(&a),
        "dapr_state_open" => dapr::dapr_state_open(st, &a).await,
        "dapr_state_key" => dapr::dapr_state_key(&a),
        other => Err(StepError::Unsupported(format!("unknown op {other:?}"))),
    };
    let value = result?;
    a.finish()?;
    Ok(value)
}
