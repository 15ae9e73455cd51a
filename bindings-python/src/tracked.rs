//! Tracked publishing: `Publisher.publish_tracked` queues a pipelined
//! publish like `publish` and hands back its own outcome besides, the core's
//! `PendingAck`, as a second `Call` that runs to completion.

use pyo3::prelude::*;

use crate::publish::{PubAck, Publisher, message};
use crate::runtime::{Call, spawn, spawn_to_completion};

#[pymethods]
impl Publisher {
    /// Queues a message, waiting while the window is full
    /// (`Call[tuple[int, Call[PubAck]]]`): its ticket and its own ack (or
    /// typed error). Not waiting for the ack does not cancel the publish; it
    /// counts in the next `flush` like any other.
    #[pyo3(signature = (subject, payload, msg_id=None, headers=None, expect=None, ttl=None))]
    fn publish_tracked(
        &self,
        subject: &Bound<'_, PyAny>,
        payload: &Bound<'_, PyAny>,
        msg_id: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
        expect: Option<&Bound<'_, PyAny>>,
        ttl: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Call> {
        let msg = message(subject, payload, msg_id, headers, expect, ttl)?;
        let publisher = self.inner.clone();
        spawn(
            async move { publisher.publish_tracked(msg).await },
            |py, (ticket, pending)| {
                let ack = spawn_to_completion(pending, |py, ack| {
                    Ok(Py::new(py, PubAck::from(ack))?.into_any())
                })?;
                Ok((ticket, Py::new(py, ack)?)
                    .into_pyobject(py)?
                    .into_any()
                    .unbind())
            },
        )
    }
}
