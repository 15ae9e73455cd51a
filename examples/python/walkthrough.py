"""The seed guide's walkthrough ("How to Deploy NATS JetStream…"), step by step:
create the ORDERS stream, publish with an ack, publish with dedup, consume with
a durable pull consumer (fetch, ack, nak), a push consumer, and replay from the
start, a sequence, a time and the last message.

Connects to NATS_URL (default nats://127.0.0.1:4222). Prints exactly the lines
of examples/rust/src/walkthrough.rs.

    pip install ./bindings-python
    NATS_URL=nats://127.0.0.1:4222 python examples/python/walkthrough.py
"""

import asyncio
import os
import time

import jetbridge
from jetbridge import StartPosition


def flag(value: bool) -> str:
    return "true" if value else "false"


async def main() -> None:
    url = os.environ.get("NATS_URL", "nats://127.0.0.1:4222")
    async with jetbridge.connect(url) as client:
        # Create the stream (the guide uses file storage, 7 days max age).
        try:
            await client.delete_stream("ORDERS")
        except jetbridge.NotFoundError:
            pass
        info = await client.create_stream(name="ORDERS", subjects=["orders.*"], max_age=7 * 24 * 3600)
        print(f"stream {info.config.name} subjects={','.join(info.config.subjects)}")

        # Publish and wait for the ack.
        ack = await client.publish("orders.created", b'{"id": 123, "total": 99.99}')
        print(f"published seq={ack.sequence} stream={ack.stream} duplicate={flag(ack.duplicate)}")

        # Publish with deduplication: the second one is recognised.
        for _ in range(2):
            ack = await client.publish(
                "orders.updated", b'{"id": 123, "status": "shipped"}', msg_id="order-123-update-1"
            )
            print(f"published msg_id=order-123-update-1 seq={ack.sequence} duplicate={flag(ack.duplicate)}")
        mid = time.time_ns()
        ack = await client.publish("orders.created", b'{"id": 124, "total": 5.00}')
        print(f"published seq={ack.sequence} stream={ack.stream} duplicate={flag(ack.duplicate)}")

        # Durable pull consumer: fetch a batch, ack, nak, and get the nak'd one back.
        consumer = await client.create_consumer(
            "ORDERS", durable_name="order-processor", filter_subjects=["orders.*"], max_deliver=3
        )
        for m in await consumer.fetch(3):
            text = m.payload.decode()
            print(f"fetched seq={m.stream_sequence} subject={m.subject} delivered={m.delivered} data={text}")
            if m.subject == "orders.updated":
                m.nak()
                print(f"nakked seq={m.stream_sequence}")
            else:
                m.ack()
                print(f"acked seq={m.stream_sequence}")
        for m in await consumer.fetch(1):
            print(f"redelivered seq={m.stream_sequence} delivered={m.delivered}")
            await m.ack_sync()
            print(f"ack_sync confirmed seq={m.stream_sequence}")
        rest = await consumer.fetch(10, max_wait=0.5)
        for m in rest:
            m.ack()
        print(f"fetched {len(rest)} more")
        empty = await consumer.fetch(10, max_wait=0.2)
        print(f"empty fetch returned {len(empty)} messages")

        # Push consumer with a deliver group.
        async with client.push_subscribe("ORDERS", durable_name="event-processor", deliver_group="processors") as push:
            for _ in range(3):
                m = await push.next()
                print(f"push received seq={m.stream_sequence} subject={m.subject}")
                m.ack()

        # Replay from the start, from a sequence, from a time, and the last message.
        for label, start in [
            ("start", StartPosition.all()),
            ("sequence 2", StartPosition.at_sequence(2)),
            ("time", StartPosition.at_time(mid)),
            ("last", StartPosition.last()),
        ]:
            async with client.replay("ORDERS", start) as replay:
                last = (await client.stream_info("ORDERS")).state.last_sequence
                seqs = []
                while (seqs[-1] if seqs else 0) < last:
                    seqs.append((await replay.next()).stream_sequence)
            print(f"replay from {label}: {','.join(map(str, seqs))}")

        c = client.counters()
        print(f"counters published={c.published} acked={c.acked} duplicates={c.duplicates}")


if __name__ == "__main__":
    asyncio.run(main())
