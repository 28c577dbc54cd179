"""The register-customer contract, proven with pika: a customer registered and one refused,
each answered by the event the AsyncAPI document names.

    python register_customer_test.py AMQP_URL"""
import copy
import os
import sys
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "deploy"))
from outside_system import ASYNCAPI, OutsideSystem  # noqa: E402

REGISTER = "registration.register-customer.v1"
REGISTERED = "registration.customer-registered.v1"
REFUSED = "registration.command-refused.v1"

system = OutsideSystem(sys.argv[1])
system.listen(REGISTERED, REFUSED)
# The document's own example, with a national id of this run's.
customer = copy.deepcopy(ASYNCAPI["components"]["messages"][REGISTER]["examples"][0]["payload"]["customer"])
customer["nationalId"] = str(uuid.uuid4().int)[:10]
sent = system.send(REGISTER, {"customer": customer})
kind, event = system.answer(sent)
assert kind == REGISTERED, (kind, event)
assert event["customer"] == customer, event
number = event["customerNumber"]
assert number.startswith("C-"), number
print(f"ok - registered as {number}")

# The same national id with another name: refused, naming the field and the number it has.
other = dict(customer, firstName="Hossein")
kind, event = system.answer(system.send(REGISTER, {"customer": other}))
assert kind == REFUSED, (kind, event)
assert event["problems"] == [{"field": "nationalId", "message": f"is already registered, as {number}"}], event
print("ok - a second customer with the same national id is refused, naming the field")

# A phone that is not one and no city: each named.
broken = dict(customer, nationalId=str(uuid.uuid4().int)[:10], phones=["call me"], address=dict(customer["address"], city=""))
kind, event = system.answer(system.send(REGISTER, {"customer": broken}))
assert kind == REFUSED and [p["field"] for p in event["problems"]] == ["phones[0]", "address.city"], event
print("ok - wrong fields are each named")
system.close()
print("3 checks passed")
