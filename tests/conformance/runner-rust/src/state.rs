//! What a scenario has built so far: the client, the publisher, consumers and
//! message streams by alias, and the last delivery of each message.

use std::collections::HashMap;

use std::sync::Arc;

use jetbridge::{
    Client, ConnectionEvent, Consumer, CoreMessage, CoreSubscription, KeyValue, KvWatcher, Message,
    MessageStream, ObjectStore, ObjectWatcher, PendingAck, Publisher,
};

use crate::outcome::{StepError, runner};

/// The runner's state across the steps of one scenario.
#[derive(Default)]
pub(crate) struct State {
    /// The client of the last successful `connect`.
    pub(crate) client: Option<Client>,
    /// The publisher of the last `publisher_open`.
    pub(crate) publisher: Option<Publisher>,
    /// Consumer handles by alias.
    pub(crate) consumers: HashMap<String, Consumer>,
    /// Continuous streams (pull, replay, push) by alias.
    pub(crate) streams: HashMap<String, MessageStream>,
    /// The latest delivery of each stream sequence, per source alias.
    pub(crate) messages: HashMap<(String, u64), Message>,
    /// Tracked publishes whose ack no `publisher_ack` took yet, by ticket.
    pub(crate) pending_acks: HashMap<u64, PendingAck>,
    /// Core NATS subscriptions (plain or serving requests) by alias.
    pub(crate) core_subs: HashMap<String, Arc<CoreSubscription>>,
    /// The last message `core_next` returned from each alias.
    pub(crate) core_last: HashMap<String, CoreMessage>,
    /// Connection event listeners by alias.
    pub(crate) listeners: HashMap<String, EventListener>,
    /// Key-value buckets by alias.
    pub(crate) buckets: HashMap<String, KeyValue>,
    /// Key-value watches by alias.
    pub(crate) watchers: HashMap<String, KvWatcher>,
    /// Object stores by alias.
    pub(crate) object_stores: HashMap<String, ObjectStore>,
    /// Object-store watches by alias.
    pub(crate) object_watchers: HashMap<String, ObjectWatcher>,
}

/// A connection event listener; `None` once it ended.
pub(crate) type EventListener =
    Option<Box<dyn futures::Stream<Item = ConnectionEvent> + Send + Unpin>>;

impl State {
    /// The connected client, or `RUNNER` when no `connect` succeeded yet.
    pub(crate) fn client(&self) -> Result<&Client, StepError> {
        self.client
            .as_ref()
            .ok_or_else(|| runner("no client: the scenario must connect first"))
    }

    /// The open publisher.
    pub(crate) fn publisher(&self) -> Result<&Publisher, StepError> {
        self.publisher
            .as_ref()
            .ok_or_else(|| runner("no publisher: use publisher_open first"))
    }

    /// The consumer with this alias.
    pub(crate) fn consumer(&self, alias: &str) -> Result<&Consumer, StepError> {
        self.consumers
            .get(alias)
            .ok_or_else(|| runner(format!("no consumer with alias {alias:?}")))
    }

    /// The message stream with this alias.
    pub(crate) fn stream(&mut self, alias: &str) -> Result<&mut MessageStream, StepError> {
        self.streams
            .get_mut(alias)
            .ok_or_else(|| runner(format!("no message stream with alias {alias:?}")))
    }

    /// The core subscription with this alias.
    pub(crate) fn core_sub(&self, alias: &str) -> Result<Arc<CoreSubscription>, StepError> {
        self.core_subs
            .get(alias)
            .cloned()
            .ok_or_else(|| runner(format!("no core subscription with alias {alias:?}")))
    }

    /// The key-value bucket with this alias (a cheap clone of the handle).
    pub(crate) fn bucket(&self, alias: &str) -> Result<KeyValue, StepError> {
        self.buckets
            .get(alias)
            .cloned()
            .ok_or_else(|| runner(format!("no bucket with alias {alias:?}")))
    }

    /// The key-value watch with this alias.
    pub(crate) fn watcher(&self, alias: &str) -> Result<&KvWatcher, StepError> {
        self.watchers
            .get(alias)
            .ok_or_else(|| runner(format!("no watch with alias {alias:?}")))
    }

    /// The object store with this alias (a cheap clone of the handle).
    pub(crate) fn object_store(&self, alias: &str) -> Result<ObjectStore, StepError> {
        self.object_stores
            .get(alias)
            .cloned()
            .ok_or_else(|| runner(format!("no object store with alias {alias:?}")))
    }

    /// The object-store watch with this alias.
    pub(crate) fn object_watcher(&self, alias: &str) -> Result<&ObjectWatcher, StepError> {
        self.object_watchers
            .get(alias)
            .ok_or_else(|| runner(format!("no object watch with alias {alias:?}")))
    }

    /// The latest delivery of stream sequence `seq` from `source`.
    pub(crate) fn message(&self, source: &str, seq: u64) -> Result<&Message, StepError> {
        self.messages
            .get(&(source.to_string(), seq))
            .ok_or_else(|| {
                runner(format!(
                    "no message with seq {seq} received from {source:?}"
                ))
            })
    }

    /// Remembers deliveries from `source` so that later steps can ack them.
    pub(crate) fn remember(&mut self, source: &str, messages: Vec<Message>) {
        for m in messages {
            self.messages
                .insert((source.to_string(), m.stream_sequence), m);
        }
    }

    /// Closes the client at the end of the scenario (best effort).
    pub(crate) async fn shutdown(&mut self) {
        self.streams.clear();
        self.watchers.clear();
        self.object_watchers.clear();
        if let Some(client) = self.client.take() {
            let _ = client.close().await;
        }
    }
}
