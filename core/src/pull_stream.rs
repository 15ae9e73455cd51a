//! Continuous pull: `Consumer::messages()` and ordered replay.
//!
//! One loop serves both. It keeps pull requests outstanding (re-pulling when
//! fewer than `threshold_percent` of `batch` remain), asks for idle heartbeats,
//! and recovers by itself:
//! - reconnect: re-issue pulls (ordered: re-create the consumer);
//! - two heartbeats missed: report `Stalled`, check the consumer, re-pull;
//! - 409 leadership change: re-pull;
//! - consumer deleted: re-create a durable from its known configuration,
//!   starting at the oldest delivered-but-unsettled message, so nothing is
//!   skipped; ordered: re-create from the last delivered stream sequence + 1.
//!
//! Ordered replay checks every consumer sequence: a gap, a heartbeat that
//! shows a missed message, or a stale consumer resets it, so the application
//! sees each stream sequence once, in order.

use std::sync::Arc;
use std::time::Duration;

use futures::{FutureExt, StreamExt};
use tokio::time::Instant;

use crate::client::{Client, ClientInner};
use crate::consumer::{Consumer, ConsumerInner};
use crate::consumer_config::{AckPolicy, ConsumerConfig};
use crate::counters::bump;
use crate::delivery::{Incoming, Notice, classify, to_message, to_message_with};
use crate::error::{Error, ErrorKind, Result};
use crate::fetch::{PullRequest, nanos, send_pull};
use crate::message::{Message, parse_ack_subject};
use crate::priority_pull::PriorityPull;
use crate::start::{ReplaySpeed, StartPosition};
use crate::stream_handle::{Feed, Flow, Health, MessageStream};
use crate::{runtime, validate};

crate::record::record! {
    /// Tuning of a continuous consumer.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct MessagesOptions {
        /// Messages asked for per pull request.
        pub batch: usize,
        /// Byte limit per pull request; unset: none.
        pub max_bytes: Option<usize>,
        /// Lifetime of a pull request.
        pub expires: Duration,
        /// Idle heartbeat interval; a stall is reported after two.
        pub heartbeat: Duration,
        /// Re-pull when fewer than this percentage of `batch` is
        /// outstanding.
        pub threshold_percent: u8,
        /// The consumer's priority group its pulls belong to (server
        /// 2.11+). A consumer with priority groups serves only pulls that
        /// name one of them.
        pub group: Option<String>,
        /// Priority policy `overflow`: serve the pulls only while the
        /// consumer has at least this many pending messages (with a group).
        pub min_pending: Option<u64>,
        /// Priority policy `overflow`: serve the pulls only while the
        /// consumer has at least this many unacknowledged messages (with a
        /// group; either minimum is enough when both are set).
        pub min_ack_pending: Option<u64>,
        /// Priority policy `prioritized` (server 2.12+): 0 (served first)
        /// to 9 (with a group; 0 is also what a pull without one gets).
        pub priority: u8,
    }
}

impl Default for MessagesOptions {
    fn default() -> MessagesOptions {
        MessagesOptions {
            batch: 500,
            max_bytes: None,
            expires: Duration::from_secs(30),
            heartbeat: Duration::from_secs(5),
            threshold_percent: 50,
            group: None,
            min_pending: None,
            min_ack_pending: None,
            priority: 0,
        }
    }
}

impl MessagesOptions {
    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        self.priority_pull()?;
        if self.batch == 0 {
            return Err(Error::invalid("batch", "must be at least 1"));
        }
        if self.heartbeat < Duration::from_millis(100) {
            return Err(Error::invalid("heartbeat", "must be at least 100ms"));
        }
        if self.expires < self.heartbeat * 2 {
            return Err(Error::invalid(
                "expires",
                "must be at least twice the heartbeat",
            ));
        }
        if self.threshold_percent > 100 {
            return Err(Error::invalid(
                "threshold_percent",
                "must be between 0 and 100",
            ));
        }
        if self.max_bytes == Some(0) {
            return Err(Error::invalid("max_bytes", "must be at least 1"));
        }
        Ok(())
    }
}

/// What an ordered replay reads and how.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplayOptions {
    /// Where to start.
    pub start: StartPosition,
    /// Only these subjects.
    pub filter_subjects: Vec<String>,
    /// Replay speed.
    pub speed: ReplaySpeed,
    /// Pull tuning.
    pub messages: MessagesOptions,
    /// Headers only: each message's payload is left out (its size is in the
    /// `Nats-Msg-Size` header).
    pub headers_only: bool,
}

impl MessagesOptions {
    /// The pulls' priority-group fields, checked.
    pub(crate) fn priority_pull(&self) -> Result<PriorityPull> {
        PriorityPull::new(
            self.group.as_ref(),
            self.min_pending,
            self.min_ack_pending,
            self.priority,
        )
    }
}

impl Consumer {
    /// A continuous stream of this consumer's messages, with heartbeats and
    /// automatic recovery (see the module docs).
    pub async fn messages(&self, options: MessagesOptions) -> Result<MessageStream> {
        options.validate()?;
        options.priority_pull()?.check_for(&self.inner)?;
        let consumer = self.inner.clone();
        runtime::run(async move {
            let client = consumer.client.clone();
            let source = Source::Durable(consumer);
            PullLoop::start(client, source, options).await
        })
        .await
    }
}

impl Client {
    /// An ordered replay of `stream`: every stored message from `start`, each
    /// once and in stream order, through an ephemeral consumer that resets
    /// itself across gaps, restarts and deletion. Messages take no acks.
    pub async fn replay(&self, stream: &str, options: ReplayOptions) -> Result<MessageStream> {
        validate::token("stream name", stream)?;
        for f in &options.filter_subjects {
            validate::subject("filter subject", f)?;
        }
        if matches!(options.start, StartPosition::Sequence(0)) {
            return Err(Error::invalid("start sequence", "must be at least 1"));
        }
        options.messages.validate()?;
        if options.messages.group.is_some() {
            return Err(Error::invalid(
                "group",
                "an ordered replay has no priority group",
            ));
        }
        let (client, stream) = (self.inner.clone(), stream.to_string());
        runtime::run(async move {
            let mut options = options;
            if options.start == StartPosition::LastPerSubject && options.filter_subjects.is_empty()
            {
                // The server needs a filter for last-per-subject: use all of the stream's subjects.
                options.filter_subjects = client.stream_info(&stream).await?.config.subjects;
            }
            let template = ConsumerConfig {
                start: options.start,
                ack_policy: AckPolicy::None,
                replay: options.speed,
                filter_subjects: options.filter_subjects,
                inactive_threshold: Some(Duration::from_secs(300)),
                replicas: 1,
                memory_storage: true,
                max_deliver: Some(1),
                headers_only: options.headers_only,
                ..ConsumerConfig::default()
            };
            let mut ordered = Ordered {
                stream,
                template,
                current: None,
                last_sseq: 0,
                expected_cseq: 1,
            };
            ordered.reset(&client).await?;
            PullLoop::start(client, Source::Ordered(Box::new(ordered)), options.messages).await
        })
        .await
    }
}

/// Ordered-replay bookkeeping.
struct Ordered {
    stream: String,
    template: ConsumerConfig,
    current: Option<Arc<ConsumerInner>>,
    last_sseq: u64,
    expected_cseq: u64,
}

impl Ordered {
    /// Replaces the consumer with a fresh one starting after the last
    /// delivered stream sequence.
    async fn reset(&mut self, client: &Arc<ClientInner>) -> Result<()> {
        if let Some(old) = self.current.take() {
            let _ = tokio::time::timeout(
                Duration::from_secs(1),
                client.delete_consumer(&old.stream, &old.name),
            )
            .await;
        }
        let mut config = self.template.clone();
        if self.last_sseq > 0 {
            config.start = StartPosition::Sequence(self.last_sseq + 1);
        }
        let info = client.put_consumer(&self.stream, &config, "create").await?;
        if self.last_sseq == 0 && config.start == StartPosition::New {
            // Nothing delivered yet: a consumer made again later must start
            // after what the stream held now, not at "new" again, which
            // would skip what was written in between.
            self.last_sseq = info.delivered.stream_seq;
        }
        self.current = Some(Consumer::from_info(client.clone(), info).inner);
        self.expected_cseq = 1;
        Ok(())
    }
}

enum Source {
    Durable(Arc<ConsumerInner>),
    Ordered(Box<Ordered>),
}

struct PullLoop {
    client: Arc<ClientInner>,
    source: Source,
    options: MessagesOptions,
    /// The priority-group fields every pull carries (checked at start).
    priority: PriorityPull,
    sub: async_nats::Subscriber,
    inbox: String,
    pending: usize,
    last_activity: Instant,
    last_pull: Instant,
    generation: u64,
}

impl PullLoop {
    async fn start(
        client: Arc<ClientInner>,
        source: Source,
        options: MessagesOptions,
    ) -> Result<MessageStream> {
        client.check_accepting()?;
        let inbox = client.new_inbox();
        let sub = client
            .nc
            .subscribe(inbox.clone())
            .await
            .map_err(|e| crate::error_map::subscribe_error(&e))?;
        let generation = client.state.borrow().generation;
        let priority = options.priority_pull()?;
        let pull_loop = PullLoop {
            client,
            source,
            options,
            priority,
            sub,
            inbox,
            pending: 0,
            last_activity: Instant::now(),
            last_pull: Instant::now(),
            generation,
        };
        let label = match &pull_loop.source {
            Source::Durable(c) => format!("{}/{}", c.stream, c.name),
            Source::Ordered(o) => format!("replay of {}", o.stream),
        };
        let client = pull_loop.client.clone();
        let capacity = pull_loop.options.batch.max(64) * 2;
        MessageStream::spawn(&client, label, capacity, move |feed| pull_loop.run(feed))
    }

    fn consumer(&self) -> Option<&Arc<ConsumerInner>> {
        match &self.source {
            Source::Durable(c) => Some(c),
            Source::Ordered(o) => o.current.as_ref(),
        }
    }

    async fn run(mut self, mut feed: Feed) {
        let mut conn = self.client.state.clone();
        loop {
            if self.pending * 100
                <= self.options.batch * usize::from(self.options.threshold_percent)
            {
                self.pull(&feed).await;
            }
            let connected = conn.borrow().connected;
            let stall_at = self.last_activity + self.options.heartbeat * 2;
            let expired_at = self.last_pull + self.options.expires + Duration::from_secs(1);
            let flow = tokio::select! {
                biased;
                _ = &mut feed.stop => Flow::Stop,
                changed = conn.changed() => match changed {
                    Err(_) => Flow::Stop,
                    Ok(()) => {
                        let state = *conn.borrow();
                        self.on_connection(state, &feed).await
                    }
                },
                msg = self.sub.next() => match msg {
                    None => Flow::Stop,
                    Some(msg) => {
                        self.last_activity = Instant::now();
                        self.handle(msg, &mut feed).await
                    }
                },
                _ = tokio::time::sleep_until(stall_at), if connected => self.on_stall(&mut feed).await,
                _ = tokio::time::sleep_until(expired_at) => {
                    self.pending = 0;
                    Flow::Continue
                }
            };
            if let Flow::Stop = flow {
                return;
            }
        }
    }

    /// Issues one pull for what is missing from a full batch.
    async fn pull(&mut self, feed: &Feed) {
        let Some(consumer) = self.consumer().cloned() else {
            return;
        };
        let want = self.options.batch - self.pending.min(self.options.batch);
        let mut priority = self.priority.clone();
        if priority.group.is_some() {
            priority.id = consumer.pin.get();
        }
        let req = PullRequest {
            batch: want,
            expires: Some(nanos(self.options.expires)),
            max_bytes: self.options.max_bytes,
            no_wait: false,
            idle_heartbeat: Some(nanos(self.options.heartbeat)),
            priority,
        };
        match send_pull(&consumer, self.inbox.clone(), &req).await {
            Ok(()) => {
                self.pending += want;
                self.last_pull = Instant::now();
                if feed.reporter.get() == Health::Recovering {
                    feed.reporter.set(Health::Active, "pull request issued");
                }
            }
            Err(e) => feed.reporter.set(
                Health::Reconnecting,
                format!("cannot send pull request: {e}"),
            ),
        }
    }

    async fn on_connection(&mut self, state: crate::client::ConnectionState, feed: &Feed) -> Flow {
        if state.closed {
            let _ = feed.tx.try_send(Err(Error::closed("client")));
            return Flow::Stop;
        }
        if !state.connected {
            feed.reporter.set(Health::Reconnecting, "connection lost");
            return Flow::Continue;
        }
        if state.generation != self.generation {
            self.generation = state.generation;
            self.give_back_backlog();
            feed.reporter
                .set(Health::Recovering, "reconnected; re-issuing pull requests");
            self.pending = 0;
            self.last_activity = Instant::now();
            if let Source::Ordered(o) = &mut self.source
                && let Err(e) = o.reset(&self.client).await
            {
                feed.reporter.set(
                    Health::Stalled,
                    format!("cannot re-create ordered consumer: {e}"),
                );
            }
        }
        Flow::Continue
    }

    /// Gives back (`nak`) the deliveries still queued on the subscription
    /// from before a reconnect, as `Message::give_back_if_stale` does for the
    /// buffer: the server redelivers them, and acks of deliveries a restarted
    /// server forgot are never answered.
    fn give_back_backlog(&mut self) {
        while let Some(Some(msg)) = self.sub.next().now_or_never() {
            if let (Source::Durable(c), Incoming::Message(raw)) = (&self.source, classify(msg))
                && c.tracker.expects_acks()
                && let Some(reply) = raw.reply
            {
                let nak = bytes::Bytes::from_static(b"-NAK");
                let _ = self.client.acks().send(&self.client, reply, nak);
            }
        }
    }

    async fn on_stall(&mut self, feed: &mut Feed) -> Flow {
        bump(&self.client.counters.heartbeat_misses, 1);
        feed.reporter.set(
            Health::Stalled,
            format!(
                "no message or heartbeat for two intervals ({:?} each)",
                self.options.heartbeat
            ),
        );
        let flow = self.recover("missed heartbeats", feed).await;
        self.last_activity = Instant::now();
        flow
    }

    /// Makes sure the consumer exists (re-creating it if needed) and re-pulls.
    async fn recover(&mut self, why: &str, feed: &mut Feed) -> Flow {
        self.pending = 0;
        match &mut self.source {
            Source::Ordered(o) => match o.reset(&self.client).await {
                Ok(()) => feed.reporter.set(
                    Health::Recovering,
                    format!("{why}: ordered consumer re-created"),
                ),
                Err(e) => return self.fatal_or_wait(e, feed).await,
            },
            Source::Durable(c) => {
                match self.client.consumer_info(&c.stream, &c.name).await {
                    Ok(_) => feed.reporter.set(
                        Health::Recovering,
                        format!("{why}: consumer present, re-pulling"),
                    ),
                    Err(e) if e.api_code() == Some(10014) => {
                        let mut config = c.config.lock().unwrap_or_else(|p| p.into_inner()).clone();
                        if let Some(seq) = c.tracker.resume_point() {
                            config.start = StartPosition::Sequence(seq);
                        }
                        match self.client.put_consumer(&c.stream, &config, "").await {
                            Ok(_) => {
                                bump(&self.client.counters.consumer_recreations, 1);
                                feed.reporter.set(Health::Recovering, format!("{why}: consumer was deleted; re-created from its configuration"));
                            }
                            Err(e) => return self.fatal_or_wait(e, feed).await,
                        }
                    }
                    Err(e) => return self.fatal_or_wait(e, feed).await,
                }
            }
        }
        Flow::Continue
    }

    /// A missing stream ends the stream with that error; anything else is
    /// retried at the next stall check.
    async fn fatal_or_wait(&mut self, e: Error, feed: &mut Feed) -> Flow {
        if e.kind() == ErrorKind::NotFound && e.api_code() == Some(10059) {
            return feed.fail(e).await;
        }
        feed.reporter
            .set(Health::Stalled, format!("recovery failed, will retry: {e}"));
        Flow::Continue
    }

    async fn handle(&mut self, msg: async_nats::Message, feed: &mut Feed) -> Flow {
        match classify(msg) {
            Incoming::Message(raw) => {
                self.pending = self.pending.saturating_sub(1);
                match self.accept(raw, feed).await {
                    Some(m) => self.deliver(m, feed).await,
                    None => Flow::Continue,
                }
            }
            Incoming::Notice(notice) => self.on_notice(notice, feed).await,
        }
    }

    /// Turns a delivery into a message for the application, or drops it
    /// (ordered: stale consumer or duplicate; a gap resets the consumer).
    async fn accept(&mut self, raw: async_nats::Message, feed: &mut Feed) -> Option<Message> {
        match &mut self.source {
            Source::Durable(c) => {
                if self.priority.group.is_some() {
                    c.pin.observe(&raw);
                }
                to_message(&self.client, raw, Some(&c.tracker), true)
            }
            Source::Ordered(o) => {
                let meta = parse_ack_subject(raw.reply.as_ref()?.as_str())?;
                let current = o.current.as_ref()?;
                if meta.consumer != current.name {
                    return None;
                }
                if meta.consumer_sequence != o.expected_cseq {
                    let why = format!(
                        "gap: expected consumer sequence {}, got {}",
                        o.expected_cseq, meta.consumer_sequence
                    );
                    self.recover(&why, feed).await;
                    return None;
                }
                o.expected_cseq += 1;
                if meta.stream_sequence <= o.last_sseq {
                    return None;
                }
                o.last_sseq = meta.stream_sequence;
                to_message_with(&self.client, raw, meta, None, false)
            }
        }
    }

    async fn deliver(&mut self, m: Message, feed: &mut Feed) -> Flow {
        let flow = feed.deliver(m).await;
        self.last_activity = Instant::now();
        flow
    }

    async fn on_notice(&mut self, notice: Notice, feed: &mut Feed) -> Flow {
        match notice {
            Notice::Heartbeat {
                last_consumer_seq, ..
            } => {
                if let (Source::Ordered(o), Some(last)) = (&self.source, last_consumer_seq)
                    && last >= o.expected_cseq
                {
                    let why = format!(
                        "heartbeat shows consumer sequence {last}, expected {}",
                        o.expected_cseq - 1
                    );
                    return self.recover(&why, feed).await;
                }
                if feed.reporter.get() != Health::Active {
                    feed.reporter.set(Health::Active, "heartbeat received");
                }
            }
            Notice::Expired {
                pending_messages, ..
            } => {
                let left = usize::try_from(pending_messages).unwrap_or(usize::MAX);
                self.pending = self.pending.saturating_sub(left);
            }
            Notice::NoMessages => self.pending = 0,
            Notice::LeadershipChange => {
                self.pending = 0;
                feed.reporter.set(
                    Health::Recovering,
                    "consumer leadership changed; re-pulling",
                );
            }
            Notice::ConsumerDeleted => return self.recover("consumer deleted", feed).await,
            Notice::NoResponders => {
                tokio::time::sleep(Duration::from_millis(250)).await;
                return self
                    .recover("no responders for the pull request", feed)
                    .await;
            }
            Notice::TooLarge => {
                return feed
                    .fail(Error::new(
                        ErrorKind::LimitExceeded,
                        "a message is larger than max_bytes",
                    ))
                    .await;
            }
            Notice::RequestEnded(desc) => {
                self.pending = 0;
                feed.reporter.set(
                    Health::Recovering,
                    format!("pull request ended by the server: {desc}"),
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Notice::FlowControl { reply } => {
                let _ = self.client.nc.publish(reply, bytes::Bytes::new()).await;
            }
            Notice::BadRequest(desc) => {
                let name = self.consumer().map(|c| c.name.clone()).unwrap_or_default();
                return feed.fail(crate::fetch::refused(&name, &desc)).await;
            }
            Notice::PinMismatch => {
                // Another handle is pinned: forget the id; the next pull
                // goes without it and waits as a standby.
                if let Some(c) = self.consumer() {
                    c.pin.forget();
                }
                self.pending = 0;
            }
            Notice::Other(_) => {}
        }
        Flow::Continue
    }
}
