//! Connection events pushed to the application: a `Stream` in Rust; each
//! binding turns it into its language's form (an async iterator in Python,
//! an async iterable in Node, a callback in C, a channel in Go).

use std::sync::atomic::{AtomicBool, Ordering};

use futures::Stream;
use tokio::sync::broadcast;

/// Something that happened to a client's connection.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectionEvent {
    /// The first connection was made. It happens inside `connect`, which
    /// returns only after it, so a listener (`events()`) starts with what
    /// follows: the first event it sees is a later one.
    Connected,
    /// The connection was lost; the client is reconnecting.
    Disconnected,
    /// The connection is back after a loss.
    Reconnected,
    /// The server announced it is shutting down (lame duck mode): expect a
    /// reconnect to another server.
    LameDuck,
    /// The server dropped messages for a subscription that read too slowly.
    SlowConsumer,
    /// The server reported an error (`-ERR`), e.g. a permission violation.
    ServerError(String),
    /// The client is closed; no more events follow.
    Closed,
    /// This listener fell behind and missed this many events.
    Missed(u64),
}

impl ConnectionEvent {
    /// Every event's name, in declaration order: what bindings show as the
    /// event's kind (Python `event.kind`, Node `event.kind`, Go `Event.Kind`,
    /// C `jb_event_kind_name`).
    pub const NAMES: [&'static str; 8] = [
        "connected",
        "disconnected",
        "reconnected",
        "lame_duck",
        "slow_consumer",
        "server_error",
        "closed",
        "missed",
    ];

    /// This event's name, one of [`ConnectionEvent::NAMES`].
    pub fn name(&self) -> &'static str {
        Self::NAMES[self.code() as usize]
    }

    /// This event's number: its index in [`ConnectionEvent::NAMES`] (C's
    /// `jb_event_kind`).
    pub fn code(&self) -> u32 {
        match self {
            ConnectionEvent::Connected => 0,
            ConnectionEvent::Disconnected => 1,
            ConnectionEvent::Reconnected => 2,
            ConnectionEvent::LameDuck => 3,
            ConnectionEvent::SlowConsumer => 4,
            ConnectionEvent::ServerError(_) => 5,
            ConnectionEvent::Closed => 6,
            ConnectionEvent::Missed(_) => 7,
        }
    }

    /// True for the last event a listener gets (`Closed`): its stream ends
    /// right after, so a listener that delivered it has ended.
    pub fn is_last(&self) -> bool {
        matches!(self, ConnectionEvent::Closed)
    }

    /// What more there is to say: the server's error text of `ServerError`
    /// (as the server sent it), the count of `Missed`; `None` for the others.
    pub fn detail(&self) -> Option<String> {
        match self {
            ConnectionEvent::ServerError(text) => Some(text.clone()),
            ConnectionEvent::Missed(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

/// How many events a slow listener may fall behind before it misses some.
const CAPACITY: usize = 256;

/// Fans events out to every listener.
pub(crate) struct EventHub {
    tx: broadcast::Sender<ConnectionEvent>,
}

impl Default for EventHub {
    fn default() -> EventHub {
        EventHub {
            tx: broadcast::channel(CAPACITY).0,
        }
    }
}

impl EventHub {
    /// Sends `event` to every current listener (none is fine).
    pub(crate) fn send(&self, event: ConnectionEvent) {
        let _ = self.tx.send(event);
    }

    /// Events from now on, ending after `Closed`; nothing at all when
    /// `closed` is already set (`Closed` was sent before this listener
    /// existed, and no other event follows it).
    pub(crate) fn listen(
        &self,
        closed: &AtomicBool,
    ) -> impl Stream<Item = ConnectionEvent> + Send + Unpin + 'static {
        let rx = self.tx.subscribe();
        // Subscribed first, checked second: a close in between is either
        // seen here or received as `Closed`.
        let rx = (!closed.load(Ordering::Acquire)).then_some(rx);
        Box::pin(futures::stream::unfold(rx, |rx| async move {
            let mut rx = rx?;
            let event = match rx.recv().await {
                Ok(event) => event,
                Err(broadcast::error::RecvError::Lagged(n)) => ConnectionEvent::Missed(n),
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            let next = (!event.is_last()).then_some(rx);
            Some((event, next))
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::ConnectionEvent;

    #[test]
    fn each_event_has_its_own_name_and_code() {
        let all = [
            ConnectionEvent::Connected,
            ConnectionEvent::Disconnected,
            ConnectionEvent::Reconnected,
            ConnectionEvent::LameDuck,
            ConnectionEvent::SlowConsumer,
            ConnectionEvent::ServerError("e".into()),
            ConnectionEvent::Closed,
            ConnectionEvent::Missed(3),
        ];
        for (i, e) in all.iter().enumerate() {
            assert_eq!(e.code() as usize, i);
            assert_eq!(e.name(), ConnectionEvent::NAMES[i]);
        }
        assert_eq!(all[5].detail().as_deref(), Some("e"));
        assert_eq!(all[7].detail().as_deref(), Some("3"));
        assert_eq!(all[0].detail(), None);
    }
}
