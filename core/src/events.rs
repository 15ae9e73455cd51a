//! Connection events pushed to the application: a `Stream` in Rust; each
//! binding turns it into its language's form (an async iterator in Python,
//! an async iterable in Node, a callback in C, a channel in Go).

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

    /// Events from now on, ending after `Closed`.
    pub(crate) fn listen(&self) -> impl Stream<Item = ConnectionEvent> + Send + Unpin + 'static {
        let rx = self.tx.subscribe();
        Box::pin(futures::stream::unfold(Some(rx), |rx| async move {
            let mut rx = rx?;
            let event = match rx.recv().await {
                Ok(event) => event,
                Err(broadcast::error::RecvError::Lagged(n)) => ConnectionEvent::Missed(n),
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            let next = (event != ConnectionEvent::Closed).then_some(rx);
            Some((event, next))
        }))
    }
}
