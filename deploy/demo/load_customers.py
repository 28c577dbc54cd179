"""The demo's customers, registered as an outside system would: over the broker, with pika.
Registering one already known with the same details answers nothing new, so a second
`make run` leaves them as they are.

    python load_customers.py AMQP_URL customers.json"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from outside_system import OutsideSystem  # noqa: E402

system = OutsideSystem(sys.argv[1], actor="system:demo")
system.listen("registration.customer-registered.v1", "registration.command-refused.v1")
for customer in json.load(open(sys.argv[2])):
    sent = system.send("registration.register-customer.v1", {"customer": customer})
    try:
        kind, event = system.answer(sent, timeout=5)
        print(f"  {event.get('customerNumber', '')} {kind}")
    except TimeoutError:
        print("  already registered")
system.close()
