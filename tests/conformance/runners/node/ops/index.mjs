// One function per operation of SPEC.md §4; `run` dispatches a step to it.
import { Args } from '../args.mjs'
import { Unsupported } from '../outcome.mjs'
import * as client from './client.mjs'
import * as consumer from './consumer.mjs'
import * as core from './core.mjs'
import * as dapr from './dapr.mjs'
import * as kv from './kv.mjs'
import * as message from './message.mjs'
import * as object from './object.mjs'
import * as objectLinks from './object_links.mjs'
import * as objectWatch from './object_watch.mjs'
import * as publish from './publish.mjs'
import * as stream from './stream.mjs'
import * as subscription from './subscription.mjs'

/** op name -> async (state, args) => result object */
const OPS = {
  connect: client.connect,
  close: client.close,
  drain: client.drain,
  flush_acks: client.flushAcks,
  client_info: client.clientInfo,
  counters: client.counters,
  sleep: client.sleep,
  create_stream: stream.createStream,
  update_stream: stream.updateStream,
  stream_info: stream.streamInfo,
  list_streams: stream.listStreams,
  delete_stream: stream.deleteStream,
  purge_stream: stream.purgeStream,
  get_message: stream.getMessage,
  delete_message: stream.deleteMessage,
  get_last_message: stream.getLastMessage,
  get_next_message: stream.getNextMessage,
  get_messages: stream.getMessages,
  stream_by_subject: stream.streamBySubject,
  account_info: stream.accountInfo,
  publish: publish.publish,
  publish_many: publish.publishMany,
  publish_batch: publish.publishBatch,
  publisher_open: publish.publisherOpen,
  publisher_publish: publish.publisherPublish,
  publisher_publish_many: publish.publisherPublishMany,
  publisher_flush: publish.publisherFlush,
  publisher_close: publish.publisherClose,
  publisher_publish_tracked: publish.publisherPublishTracked,
  publisher_ack: publish.publisherAck,
  create_consumer: consumer.createConsumer,
  update_consumer: consumer.updateConsumer,
  get_or_create_consumer: consumer.getOrCreateConsumer,
  bind_consumer: consumer.bindConsumer,
  consumer_info: consumer.consumerInfo,
  list_consumers: consumer.listConsumers,
  delete_consumer: consumer.deleteConsumer,
  fetch: consumer.fetch,
  pause_consumer: consumer.pauseConsumer,
  resume_consumer: consumer.resumeConsumer,
  unpin_consumer: consumer.unpinConsumer,
  ack: message.ack,
  nak: message.nak,
  term: message.term,
  in_progress: message.inProgress,
  ack_sync: message.ackSync,
  read_headers: message.readHeaders,
  trace_context: message.traceContext,
  messages: subscription.messages,
  replay: subscription.replay,
  push_subscribe: subscription.pushSubscribe,
  next: subscription.next,
  next_group: subscription.nextGroup,
  stop: subscription.stop,
  dapr_config: dapr.daprConfig,
  dapr_subscribe: dapr.daprSubscribe,
  dapr_state_config: dapr.daprStateConfig,
  dapr_state_open: dapr.daprStateOpen,
  dapr_state_key: dapr.daprStateKeyOp,
  core_subscribe: core.coreSubscribe,
  core_publish: core.corePublish,
  core_next: core.coreNext,
  core_next_group: core.coreNextGroup,
  core_unsubscribe: core.coreUnsubscribe,
  core_reply_service: core.coreReplyService,
  core_respond: core.coreRespond,
  core_request: core.coreRequest,
  events_listen: core.eventsListen,
  events_next: core.eventsNext,
  kv_create: kv.kvCreate,
  kv_create_or_update: kv.kvCreateOrUpdate,
  kv_status: kv.kvStatus,
  kv_names: kv.kvNames,
  kv_open: kv.kvOpen,
  kv_delete_bucket: kv.kvDeleteBucket,
  kv_put: kv.kvPut,
  kv_create_key: kv.kvCreateKey,
  kv_update: kv.kvUpdate,
  kv_delete: kv.kvDelete,
  kv_purge: kv.kvPurge,
  kv_get: kv.kvGet,
  kv_entry: kv.kvEntry,
  kv_history: kv.kvHistory,
  kv_keys: kv.kvKeys,
  kv_list_keys: kv.kvListKeys,
  kv_watch: kv.kvWatch,
  kv_watch_next: kv.kvWatchNext,
  kv_watch_stop: kv.kvWatchStop,
  obj_create: object.objCreate,
  obj_status: object.objStatus,
  obj_names: object.objNames,
  obj_seal: object.objSeal,
  obj_open: object.objOpen,
  obj_delete_store: object.objDeleteStore,
  obj_put: object.objPut,
  obj_get: object.objGet,
  obj_info: object.objInfo,
  obj_delete: object.objDelete,
  obj_list: object.objList,
  obj_add_link: objectLinks.objAddLink,
  obj_add_bucket_link: objectLinks.objAddBucketLink,
  obj_update_meta: objectLinks.objUpdateMeta,
  obj_watch: objectWatch.objWatch,
  obj_watch_next: objectWatch.objWatchNext,
  obj_watch_stop: objectWatch.objWatchStop,
}

/**
 * Executes one step and returns its result. Unknown arguments are a RUNNER
 * error (after the operation ran, as in the Rust runner).
 */
export async function run(st, op, rawArgs) {
  const fn = Object.hasOwn(OPS, op) ? OPS[op] : undefined
  if (fn === undefined) throw new Unsupported(`unknown op ${JSON.stringify(op)}`)
  const a = new Args(rawArgs)
  const result = await fn(st, a)
  a.finish()
  return result
}
