"""An outside system (a CRM, a web portal) talking to Utilis with pika, a client we did not
write, using only what docs/asyncapi.json says: the exchange and routing key of a command's
channel, its message type, the headers it requires, and the events that answer it.

Used by Tests/Contract/register_customer_test.py (make test) and deploy/demo/load_records.py
(make run)."""
import json
import os
import time
import uuid

import pika

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ASYNCAPI = json.load(open(os.path.join(ROOT, "docs", "asyncapi.json")))


def channel_of(message_type):
    """The channel whose messages include `message_type`: (exchange, routing key)."""
    for channel in ASYNCAPI["channels"].values():
        if message_type in channel["messages"]:
            binding = channel["bindings"]["amqp"]
            return binding["exchange"]["name"], channel["address"]
    raise LookupError(f"the AsyncAPI document has no channel for {message_type}")


class OutsideSystem:
    def __init__(self, url, actor="system:crm"):
        self.actor = actor
        self.connection = pika.BlockingConnection(pika.URLParameters(url))
        self.channel = self.connection.channel()
        self.channel.confirm_delivery()
        # A queue of our own for the events that answer our commands.
        self.answers = self.channel.queue_declare(queue="", exclusive=True).method.queue

    def listen(self, *event_types):
        for event_type in event_types:
            exchange, routing_key = channel_of(event_type)
            self.channel.queue_bind(self.answers, exchange, routing_key)

    def send(self, message_type, payload):
        """Publishes a command as the document describes it; returns its message id."""
        exchange, routing_key = channel_of(message_type)
        message_id = str(uuid.uuid4())
        properties = pika.BasicProperties(
            message_id=message_id, type=message_type, content_type="application/json", delivery_mode=2,
            timestamp=int(time.time()), headers={"actor": self.actor})
        self.channel.basic_publish(exchange, routing_key, json.dumps(payload).encode(), properties, mandatory=True)
        return message_id

    def answer(self, message_id, timeout=15):
        """The event whose causation id is `message_id`: (type, payload)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            method, properties, body = self.channel.basic_get(self.answers, auto_ack=True)
            if method is None:
                time.sleep(0.05)
                continue
            if (properties.headers or {}).get("causation-id") == message_id:
                return properties.type, json.loads(body)
        raise TimeoutError(f"no answer to {message_id} within {timeout} s")

    def ask(self, query_type, payload, timeout=10):
        """A query by request/reply (direct reply-to), as the document's query channels say."""
        exchange, routing_key = channel_of(query_type)
        replies = {}

        def on_reply(channel, method, properties, body):
            replies[properties.correlation_id] = (properties, body)

        consumer = self.channel.basic_consume("amq.rabbitmq.reply-to", on_reply, auto_ack=True)
        correlation = str(uuid.uuid4())
        properties = pika.BasicProperties(
            message_id=str(uuid.uuid4()), correlation_id=correlation, reply_to="amq.rabbitmq.reply-to", type=query_type,
            content_type="application/json", headers={"actor": self.actor})
        self.channel.basic_publish(exchange, routing_key, json.dumps(payload).encode(), properties)
        deadline = time.monotonic() + timeout
        while correlation not in replies and time.monotonic() < deadline:
            self.connection.process_data_events(time_limit=0.1)
        self.channel.basic_cancel(consumer)
        if correlation not in replies:
            raise TimeoutError(f"no answer to {query_type} within {timeout} s")
        properties, body = replies[correlation]
        failure = (properties.headers or {}).get("x-utilis-error")
        if failure:
            raise RuntimeError(f"{query_type} failed: {failure}")
        return json.loads(body)

    def close(self):
        self.connection.close()
