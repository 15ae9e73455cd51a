//! publish, publish_many and the pipelined publisher.

use jetbridge::{Expectations, PublishMessage, PublisherOptions};
use serde_json::{Value, json};

use crate::args::Args;
use crate::outcome::{StepError, StepResult};
use crate::print;
use crate::state::State;

/// A message from its scenario description: `subject`, `data` (text, default
/// empty) or `data_size` (that many `x` bytes), `headers`, `msg_id`, `expect`.
pub(crate) fn message(a: &Args<'_>) -> Result<PublishMessage, StepError> {
    let payload: Vec<u8> = match (a.string("data")?, a.usize("data_size")?) {
        (Some(_), Some(_)) => {
            return Err(crate::outcome::runner("give data or data_size, not both"));
        }
        (Some(text), None) => text.into_bytes(),
        (None, Some(n)) => vec![b'x'; n],
        (None, None) => Vec::new(),
    };
    let mut msg = PublishMessage::new(a.required_string("subject")?, payload);
    msg.headers = a.pairs("headers")?.unwrap_or_default();
    msg.msg_id = a.string("msg_id")?;
    msg.ttl = a.millis("ttl_ms")?;
    if let Some(e) = a.object("expect")? {
        msg.expect = Expectations {
            stream: e.string("stream")?,
            last_sequence: e.u64("last_sequence")?,
            last_msg_id: e.string("last_msg_id")?,
            last_subject_sequence: e.u64("last_subject_sequence")?,
        };
    }
    Ok(msg)
}

fn message_list(a: &Args<'_>) -> Result<Vec<PublishMessage>, StepError> {
    a.objects("messages")?
        .unwrap_or_default()
        .iter()
        .map(message)
        .collect()
}

/// `publish`: the arguments are the message.
pub(crate) async fn publish(st: &mut State, a: &Args<'_>) -> StepResult {
    let msg = message(a)?;
    Ok(print::pub_ack(&st.client()?.publish(msg).await?))
}

/// `publish_many`: one outcome per message, in order.
pub(crate) async fn publish_many(st: &mut State, a: &Args<'_>) -> StepResult {
    let msgs = message_list(a)?;
    let results = st.client()?.publish_many(msgs).await?;
    let printed: Vec<Value> = results
        .iter()
        .map(|r| match r {
            Ok(ack) => print::pub_ack(ack),
            Err(e) => json!({ "error": e.kind().name() }),
        })
        .collect();
    Ok(json!({ "results": printed }))
}

/// `publish_batch`: `messages` (sent `repeat` times over) as one atomic
/// batch; prints the stream, the last sequence and the count.
pub(crate) async fn publish_batch(st: &mut State, a: &Args<'_>) -> StepResult {
    let msgs = message_list(a)?;
    let repeat = a.usize("repeat")?.unwrap_or(1);
    let batch: Vec<PublishMessage> = (0..repeat).flat_map(|_| msgs.iter().cloned()).collect();
    let ack = st.client()?.publish_batch(batch).await?;
    Ok(json!({ "stream": ack.stream, "seq": ack.sequence, "count": ack.count }))
}

/// `publisher_open`: prints the window sizes in effect.
pub(crate) fn publisher_open(st: &mut State, a: &Args<'_>) -> StepResult {
    let options: PublisherOptions = a.record(&[])?;
    let publisher = st.client()?.publisher(options)?;
    let o = publisher.options();
    st.publisher = Some(publisher);
    Ok(Value::Object(crate::print::record(&o)))
}

/// `publisher_publish`: the arguments are the message; prints its ticket.
pub(crate) async fn publisher_publish(st: &mut State, a: &Args<'_>) -> StepResult {
    let msg = message(a)?;
    let ticket = st.publisher()?.publish(msg).await?;
    Ok(json!({ "ticket": ticket }))
}

/// `publisher_publish_many`: prints the tickets.
pub(crate) async fn publisher_publish_many(st: &mut State, a: &Args<'_>) -> StepResult {
    let msgs = message_list(a)?;
    let tickets = st.publisher()?.publish_many(msgs).await?;
    Ok(json!({ "tickets": tickets }))
}

/// `publisher_flush`: what was settled since the previous flush.
pub(crate) async fn publisher_flush(st: &mut State, _a: &Args<'_>) -> StepResult {
    Ok(print::flush_report(&st.publisher()?.flush().await?))
}

/// `publisher_close`: flushes, then refuses further publishes.
pub(crate) async fn publisher_close(st: &mut State, _a: &Args<'_>) -> StepResult {
    Ok(print::flush_report(&st.publisher()?.close().await?))
}

/// `publisher_publish_tracked`: the arguments are the message; prints its
/// ticket and keeps its own ack for `publisher_ack`.
pub(crate) async fn publisher_publish_tracked(st: &mut State, a: &Args<'_>) -> StepResult {
    let msg = message(a)?;
    let (ticket, ack) = st.publisher()?.publish_tracked(msg).await?;
    st.pending_acks.insert(ticket, ack);
    Ok(json!({ "ticket": ticket }))
}

/// `publisher_ack`: the tracked publish's own ack or error.
pub(crate) async fn publisher_ack(st: &mut State, a: &Args<'_>) -> StepResult {
    let ticket = a.required_u64("ticket")?;
    let ack = st.pending_acks.remove(&ticket).ok_or_else(|| {
        crate::outcome::runner(format!("no tracked publish with ticket {ticket}"))
    })?;
    Ok(print::pub_ack(&ack.await?))
}
