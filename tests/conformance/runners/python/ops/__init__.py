"""One function per operation of SPEC.md §4; ``run`` dispatches a step to it."""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict

from args import Args
from outcome import Unsupported
from state import State

from . import client, consumer, core_nats, dapr, kv, message, objects, publish, stream, subscription

Op = Callable[[State, Args], Awaitable[Dict[str, Any]]]

OPS: Dict[str, Op] = {
    "connect": client.connect,
    "close": client.close,
    "drain": client.drain,
    "flush_acks": client.flush_acks,
    "client_info": client.client_info,
    "counters": client.counters,
    "sleep": client.sleep,
    "create_stream": stream.create_stream,
    "update_stream": stream.update_stream,
    "stream_info": stream.stream_info,
    "delete_stream": stream.delete_stream,
    "purge_stream": stream.purge_stream,
    "get_message": stream.get_message,
    "get_last_message": stream.get_last_message,
    "get_next_message": stream.get_next_message,
    "get_messages": stream.get_messages,
    "stream_by_subject": stream.stream_by_subject,
    "list_streams": stream.list_streams,
    "list_consumers": stream.list_consumers,
    "delete_message": stream.delete_message,
    "account_info": stream.account_info,
    "publish": publish.publish,
    "publish_many": publish.publish_many,
    "publish_batch": publish.publish_batch,
    "publisher_open": publish.publisher_open,
    "publisher_publish": publish.publisher_publish,
    "publisher_publish_many": publish.publisher_publish_many,
    "publisher_flush": publish.publisher_flush,
    "publisher_close": publish.publisher_close,
    "publisher_publish_tracked": publish.publisher_publish_tracked,
    "publisher_ack": publish.publisher_ack,
    "create_consumer": consumer.create_consumer,
    "update_consumer": consumer.update_consumer,
    "get_or_create_consumer": consumer.get_or_create_consumer,
    "bind_consumer": consumer.bind_consumer,
    "consumer_info": consumer.consumer_info,
    "delete_consumer": consumer.delete_consumer,
    "fetch": consumer.fetch,
    "pause_consumer": consumer.pause_consumer,
    "resume_consumer": consumer.resume_consumer,
    "unpin_consumer": consumer.unpin_consumer,
    "ack": message.ack,
    "nak": message.nak,
    "term": message.term,
    "in_progress": message.in_progress,
    "ack_sync": message.ack_sync,
    "read_headers": message.read_headers,
    "trace_context": message.trace_context,
    "messages": subscription.messages,
    "replay": subscription.replay,
    "push_subscribe": subscription.push_subscribe,
    "next": subscription.next_,
    "next_group": subscription.next_group,
    "stop": subscription.stop,
    "core_subscribe": core_nats.core_subscribe,
    "core_publish": core_nats.core_publish,
    "core_next": core_nats.core_next,
    "core_next_group": core_nats.core_next_group,
    "core_unsubscribe": core_nats.core_unsubscribe,
    "core_reply_service": core_nats.core_reply_service,
    "core_respond": core_nats.core_respond,
    "core_request": core_nats.core_request,
    "events_listen": core_nats.events_listen,
    "events_next": core_nats.events_next,
    "dapr_config": dapr.dapr_config,
    "dapr_subscribe": dapr.dapr_subscribe,
    "dapr_state_config": dapr.dapr_state_config,
    "dapr_state_open": dapr.dapr_state_open,
    "dapr_state_key": dapr.dapr_state_key,
    "kv_create": kv.kv_create,
    "kv_create_or_update": kv.kv_create_or_update,
    "kv_status": kv.kv_status,
    "kv_names": kv.kv_names,
    "kv_open": kv.kv_open,
    "kv_delete_bucket": kv.kv_delete_bucket,
    "kv_put": kv.kv_put,
    "kv_create_key": kv.kv_create_key,
    "kv_update": kv.kv_update,
    "kv_delete": kv.kv_delete,
    "kv_purge": kv.kv_purge,
    "kv_get": kv.kv_get,
    "kv_entry": kv.kv_entry,
    "kv_history": kv.kv_history,
    "kv_keys": kv.kv_keys,
    "kv_list_keys": kv.kv_list_keys,
    "kv_watch": kv.kv_watch,
    "kv_watch_next": kv.kv_watch_next,
    "kv_watch_stop": kv.kv_watch_stop,
    "obj_create": objects.obj_create,
    "obj_open": objects.obj_open,
    "obj_status": objects.obj_status,
    "obj_names": objects.obj_names,
    "obj_seal": objects.obj_seal,
    "obj_delete_store": objects.obj_delete_store,
    "obj_put": objects.obj_put,
    "obj_get": objects.obj_get,
    "obj_info": objects.obj_info,
    "obj_delete": objects.obj_delete,
    "obj_list": objects.obj_list,
    "obj_add_link": objects.obj_add_link,
    "obj_add_bucket_link": objects.obj_add_bucket_link,
    "obj_update_meta": objects.obj_update_meta,
    "obj_watch": objects.obj_watch,
    "obj_watch_next": objects.obj_watch_next,
    "obj_watch_stop": objects.obj_watch_stop,
}


async def run(st: State, op: str, raw_args: Dict[str, Any]) -> Dict[str, Any]:
    """Executes one step and returns its result. Unknown arguments are a ``RUNNER`` error
    (after the operation ran, as in the Rust runner)."""
    fn = OPS.get(op)
    if fn is None:
        raise Unsupported(f"unknown op {op!r}")
    a = Args(raw_args)
    result = await fn(st, a)
    a.finish()
    return result
