//! Push consumers (the seeds' and Dapr's mode): the server pushes messages to
//! a deliver subject; members of a deliver group share the work, each message
//! going to one member.
//!
//! The first member creates the durable with a fresh deliver subject; later
//! members bind to it and use the stored deliver subject (a different
//! configuration is `CONFIG_MISMATCH`). Flow-control requests and stalled-flow
//! heartbeats are answered. With an idle heartbeat, two missed heartbeats are
//! reported as `Stalled`, and a deleted consumer is re-created from its
//! configuration.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tokio::time::Instant;

use crate::client::{Client, ClientInner};
use crate::consumer::Consumer;
use crate::consumer_config::{AckPolicy, ConsumerConfig};
use crate::counters::bump;
use crate::delivery::{Incoming, Notice, classify, to_message};
use crate::error::{Error, Result};
use crate::runtime;
use crate::stream_handle::{Feed, Flow, Health, MessageStream};

/// Buffered messages per push subscription before the server is made to wait.
const PUSH_BUFFER: usize = 1024;

impl Client {
    /// Creates (or joins) a push consumer and starts receiving. `config` needs
    /// a durable name to be shared; its `deliver_subject` may be left `None`.
    pub async fn push_subscribe(
        &self,
        stream: &str,
        mut config: ConsumerConfig,
    ) -> Result<MessageStream> {
        if config.deliver_subject.is_none() {
            config.deliver_subject = Some(format!("{}.push", self.inner.new_inbox()));
        }
        config.validate()?;
        let consumer = match config.durable_name.clone() {
            Some(name) => match self.consumer_info(stream, &name).await {
                Ok(info) => {
                    // Join: the stored deliver subject wins.
                    config.deliver_subject = info.config.deliver_subject.clone();
                    self.bind_consumer(stream, &name, Some(config)).await?
                }
                Err(e) if e.api_code() == Some(10014) => {
                    self.get_or_create_consumer(stream, config).await?
                }
                Err(e) => return Err(e),
            },
            None => self.create_consumer(stream, config).await?,
        };
        runtime::run(async move { PushLoop::start(consumer).await }).await
    }
}

struct PushLoop {
    client: Arc<ClientInner>,
    consumer: Consumer,
    config: ConsumerConfig,
    sub: async_nats::Subscriber,
    last_activity: Instant,
}

impl PushLoop {
    async fn start(consumer: Consumer) -> Result<MessageStream> {
        let client = consumer.inner.client.clone();
        client.check_accepting()?;
        let config = consumer.config();
        let Some(subject) = config.deliver_subject.clone() else {
            return Err(Error::invalid("consumer", "is not a push consumer"));
        };
        let sub = match &config.deliver_group {
            Some(group) => client.nc.queue_subscribe(subject, group.clone()).await,
            None => client.nc.subscribe(subject).await,
        }
        .map_err(|e| crate::error_map::subscribe_error(&e))?;
        let push = PushLoop {
            client,
            consumer,
            config,
            sub,
            last_activity: Instant::now(),
        };
        let label = format!("{}/{} (push)", push.consumer.stream(), push.consumer.name());
        let client = push.client.clone();
        MessageStream::spawn(&client, label, PUSH_BUFFER, move |feed| push.run(feed))
    }

    async fn run(mut self, mut feed: Feed) {
        feed.reporter.set(Health::Active, "subscribed");
        let mut conn = self.client.state.clone();
        let heartbeat = self.config.idle_heartbeat;
        loop {
            let connected = conn.borrow().connected;
            let stall_at = self.last_activity + heartbeat.unwrap_or(Duration::from_secs(3600)) * 2;
            let flow = tokio::select! {
                biased;
                _ = &mut feed.stop => Flow::Stop,
                changed = conn.changed() => match changed {
                    Err(_) => Flow::Stop,
                    Ok(()) => {
                        let state = *conn.borrow();
                        if state.closed {
                            Flow::Stop
                        } else if state.connected {
                            self.last_activity = Instant::now();
                            feed.reporter.set(Health::Active, "reconnected");
                            Flow::Continue
                        } else {
                            feed.reporter.set(Health::Reconnecting, "connection lost");
                            Flow::Continue
                        }
                    }
                },
                msg = self.sub.next() => match msg {
                    None => Flow::Stop,
                    Some(msg) => {
                        self.last_activity = Instant::now();
                        self.handle(msg, &mut feed).await
                    }
                },
                _ = tokio::time::sleep_until(stall_at), if connected && heartbeat.is_some() => {
                    self.on_stall(&mut feed).await
                }
            };
            if let Flow::Stop = flow {
                return;
            }
        }
    }

    async fn handle(&mut self, msg: async_nats::Message, feed: &mut Feed) -> Flow {
        match classify(msg) {
            Incoming::Message(raw) => {
                let ackable = self.config.ack_policy != AckPolicy::None;
                let Some(m) = to_message(
                    &self.client,
                    raw,
                    Some(&self.consumer.inner.tracker),
                    ackable,
                ) else {
                    return Flow::Continue;
                };
                let flow = feed.deliver(m).await;
                self.last_activity = Instant::now();
                flow
            }
            Incoming::Notice(Notice::FlowControl { reply }) => {
                let _ = self.client.nc.publish(reply, bytes::Bytes::new()).await;
                Flow::Continue
            }
            Incoming::Notice(Notice::Heartbeat { stalled_reply, .. }) => {
                if let Some(reply) = stalled_reply {
                    let _ = self.client.nc.publish(reply, bytes::Bytes::new()).await;
                }
                if feed.reporter.get() != Health::Active {
                    feed.reporter.set(Health::Active, "heartbeat received");
                }
                Flow::Continue
            }
            Incoming::Notice(Notice::ConsumerDeleted) => self.recreate(feed).await,
            Incoming::Notice(_) => Flow::Continue,
        }
    }

    async fn on_stall(&mut self, feed: &mut Feed) -> Flow {
        bump(&self.client.counters.heartbeat_misses, 1);
        feed.reporter
            .set(Health::Stalled, "no message or heartbeat for two intervals");
        let inner = &self.consumer.inner;
        let flow = match self.client.consumer_info(&inner.stream, &inner.name).await {
            Err(e) if e.api_code() == Some(10014) => self.recreate(feed).await,
            Err(e) if e.api_code() == Some(10059) => feed.fail(e).await,
            _ => Flow::Continue,
        };
        self.last_activity = Instant::now();
        flow
    }

    async fn recreate(&mut self, feed: &mut Feed) -> Flow {
        feed.reporter.set(
            Health::Recovering,
            "consumer deleted; re-creating it from its configuration",
        );
        let inner = &self.consumer.inner;
        let mut config = self.config.clone();
        if let Some(seq) = inner.tracker.resume_point() {
            config.start = crate::start::StartPosition::Sequence(seq);
        }
        match self.client.put_consumer(&inner.stream, &config, "").await {
            Ok(_) => {
                bump(&self.client.counters.consumer_recreations, 1);
                Flow::Continue
            }
            Err(e) if e.api_code() == Some(10059) => feed.fail(e).await,
            Err(e) => {
                feed.reporter.set(
                    Health::Stalled,
                    format!("cannot re-create consumer, will retry: {e}"),
                );
                Flow::Continue
            }
        }
    }
}
